//! Quoting text as one word of a bash or PowerShell command line: the one place that knows
//! which characters each shell reads literally. `plan` spells its printed commands and
//! scripts with it, and `validate` and the values-file messages their suggested commands.

/// `text` as one bash word: as written when every character is plainly literal (letters,
/// digits and `_./:=,@%+-`), else single-quoted with each `'` written `'\''`.
///
/// ```
/// use valuesmith::shell::bash;
/// assert_eq!(bash("values-dev-2025-05-00.yml"), "values-dev-2025-05-00.yml");
/// assert_eq!(bash("it's here"), r"'it'\''s here'");
/// ```
pub fn bash(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `text` as one PowerShell argument: as written when every character is plainly literal
/// (letters, digits and `_./:=+-`; PowerShell gives `,` `@` and `%` meanings), else
/// single-quoted with each `'` doubled.
///
/// ```
/// use valuesmith::shell::powershell;
/// assert_eq!(powershell("--wait"), "--wait");
/// assert_eq!(powershell("it's"), "'it''s'");
/// ```
pub fn powershell(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=+-".contains(c))
    {
        text.to_owned()
    } else {
        powershell_quoted(text)
    }
}

/// `text` single-quoted for PowerShell whatever it holds (where a bare word would be run as
/// a command, as in an array `@(...)`).
pub fn powershell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_quotes_only_what_needs_it() {
        assert_eq!(bash("a=b,c@d%e+f"), "a=b,c@d%e+f");
        assert_eq!(bash(""), "''");
        assert_eq!(bash("$HOME"), "'$HOME'");
        assert_eq!(bash("a b"), "'a b'");
        assert_eq!(bash("it's"), r"'it'\''s'");
    }

    #[test]
    fn powershell_quotes_its_own_specials() {
        assert_eq!(powershell("a=b"), "a=b");
        assert_eq!(powershell("a,b"), "'a,b'");
        assert_eq!(powershell("@x"), "'@x'");
        assert_eq!(powershell("$env:X"), "'$env:X'");
        assert_eq!(powershell_quoted("plain"), "'plain'");
        assert_eq!(powershell("it's"), "'it''s'");
    }
}
