//! `valuesmith` built from the repository root, for pre-commit's `cargo install --path .`.

fn main() -> std::process::ExitCode {
    valuesmith_cli::main()
}
