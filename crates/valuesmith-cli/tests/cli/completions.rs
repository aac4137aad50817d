//! `valuesmith completions SHELL` and `valuesmith man`: each output parses in its shell (or,
//! where the shell is not installed, has the shape of its script) and names every command of
//! the clap definition.

use std::process::Command;

use crate::common::valuesmith;

/// The commands as clap knows them (not a copy that could fall behind).
fn commands() -> Vec<String> {
    let names: Vec<String> = valuesmith_cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    names
}

fn generated(args: &[&str]) -> String {
    let output = valuesmith().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Whether `program` runs here.
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `program` with `args` and the script as the last argument (a file), and asserts it
/// exits 0 without a word on standard error.
fn parses(program: &str, args: &[&str], script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("script");
    std::fs::write(&file, script).unwrap();
    let output = Command::new(program)
        .args(args)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{program} refused the script: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn names_every_command(shell: &str, script: &str) {
    for command in commands() {
        assert!(script.contains(&command), "{shell}: no `{command}`");
    }
}

#[test]
fn bash_script_parses_and_completes_every_command() {
    let script = generated(&["completions", "bash"]);
    names_every_command("bash", &script);
    parses("bash", &["-n"], &script);
    // Sourced and asked, it completes the commands after `valuesmith `.
    let probe = format!(
        "{script}\nCOMP_WORDS=(valuesmith ''); COMP_CWORD=1; COMP_LINE='valuesmith '; \
         COMP_POINT=11; _valuesmith valuesmith '' valuesmith; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let output = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    let offered = String::from_utf8(output.stdout).unwrap();
    for command in commands() {
        assert!(
            offered.lines().any(|l| l == command),
            "bash offers no `{command}`: {offered}"
        );
    }
}

#[test]
fn zsh_script_parses_and_names_every_command() {
    let script = generated(&["completions", "zsh"]);
    names_every_command("zsh", &script);
    assert!(script.starts_with("#compdef valuesmith"), "{script}");
    if installed("zsh") {
        parses("zsh", &["-n"], &script);
    } else {
        println!("zsh not installed: checked the script's shape only");
    }
}

#[test]
fn fish_script_parses_and_names_every_command() {
    let script = generated(&["completions", "fish"]);
    names_every_command("fish", &script);
    assert!(script.contains("\ncomplete -c valuesmith -n "), "{script}");
    if installed("fish") {
        parses("fish", &["--no-execute"], &script);
    } else {
        println!("fish not installed: checked the script's shape only");
    }
}

#[test]
fn powershell_and_elvish_scripts_name_every_command() {
    let powershell = generated(&["completions", "powershell"]);
    assert!(powershell.contains("Register-ArgumentCompleter -Native -CommandName 'valuesmith'"));
    names_every_command("powershell", &powershell);
    let elvish = generated(&["completions", "elvish"]);
    assert!(elvish.contains("set edit:completion:arg-completer[valuesmith]"));
    names_every_command("elvish", &elvish);
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let output = valuesmith().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("possible values: bash"));
}

#[test]
fn man_page_lists_every_command_and_each_command_has_a_page() {
    let page = generated(&["man"]);
    assert!(page.contains(".TH valuesmith 1"), "{page}");
    for command in commands() {
        let escaped = command.replace('-', "\\-");
        assert!(
            page.contains(&format!("valuesmith\\-{escaped}(1)")),
            "man: no `{command}`"
        );
        let sub = generated(&["man", &command]);
        assert!(
            sub.contains(&format!(".TH valuesmith-{command} 1")),
            "{sub}"
        );
    }
    // The page of validate carries its options.
    assert!(generated(&["man", "validate"]).contains("\\-\\-strict"));
}

#[test]
fn man_of_an_unknown_command_says_which_exist() {
    let output = valuesmith().args(["man", "valdate"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: no command `valdate`\nhint: did you mean `validate`?\n"
    );
}
