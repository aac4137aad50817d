//! `valuesmith`: diff, migrate and validate Helm values files without losing a comment.

fn main() -> std::process::ExitCode {
    valuesmith_cli::main()
}
