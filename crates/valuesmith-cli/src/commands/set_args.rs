//! Helm's `--set`-style flags, shared by the commands that compute effective values
//! (`effective`, `advise`): the five flags as Helm spells them, and the flags in the form
//! the library takes.

use valuesmith::effective::{SetFlag, SetKind};

/// `--set`, `--set-string`, `--set-json`, `--set-file` and `--set-literal` (docs/effective.md).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SetArgs {
    /// A value in Helm's syntax, `a.b=c`, `a={x,y}`, `a[0].b=c` (repeatable).
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,

    /// As --set, every value a string (repeatable; applied after every --set, as Helm does).
    #[arg(long = "set-string", value_name = "K=V")]
    pub set_string: Vec<String>,

    /// As --set, every value JSON: `a={"b":1}`, `list=[1,2]` (repeatable; applied before
    /// every --set, as Helm does).
    #[arg(long = "set-json", value_name = "K=JSON")]
    pub set_json: Vec<String>,

    /// As --set, every value the text of the file it names (repeatable; applied after every
    /// --set-string).
    #[arg(long = "set-file", value_name = "K=PATH")]
    pub set_file: Vec<String>,

    /// As --set, the text after `=` one string as written, commas and backslashes included
    /// (repeatable; applied last).
    #[arg(long = "set-literal", value_name = "K=V")]
    pub set_literal: Vec<String>,
}

impl SetArgs {
    /// The flags in command-line order within each kind (the library applies the kinds in
    /// Helm's order).
    pub fn flags(&self) -> Vec<SetFlag> {
        [
            (SetKind::Set, &self.set),
            (SetKind::SetString, &self.set_string),
            (SetKind::SetJson, &self.set_json),
            (SetKind::SetFile, &self.set_file),
            (SetKind::SetLiteral, &self.set_literal),
        ]
        .into_iter()
        .flat_map(|(kind, texts)| {
            texts.iter().map(move |text| SetFlag {
                kind,
                text: text.clone(),
            })
        })
        .collect()
    }
}
