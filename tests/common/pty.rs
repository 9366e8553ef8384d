//! The REPL in a pseudo-terminal, as a person types into it (rexpect).

use rexpect::session::{Options, PtySession, spawn_with_options};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Starts ffkg in a pseudo-terminal with its data directory (and so its history) under `home`,
/// working in `home/work`.
pub fn repl(home: &Path, args: &[&str]) -> PtySession {
    repl_at(home, args, "ffkg> ")
}

/// [`repl`], the first prompt being `prompt`.
pub fn repl_at(home: &Path, args: &[&str], prompt: &str) -> PtySession {
    let workdir = home.join("work");
    std::fs::create_dir_all(&workdir).expect("work dir");
    // A terminal of a known size: a new pseudo-terminal has none, and a long list of
    // completions would otherwise stop at a --More-- prompt.
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("stty rows 200 cols 160 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin!("ffkg"))
        .args(args)
        .current_dir(&workdir)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut session = spawn_with_options(
        command,
        Options::new()
            .timeout_ms(Some(30_000))
            .strip_ansi_escape_codes(true),
    )
    .expect("ffkg starts in a pseudo-terminal");
    expect(&mut session, prompt);
    session
}

/// Waits for `needle` in the output and returns what came before it. rexpect reads the
/// terminal byte by byte as characters, so UTF-8 is matched and returned through that lens.
pub fn expect(session: &mut PtySession, needle: &str) -> String {
    let as_read: String = needle.bytes().map(char::from).collect();
    match session.exp_string(&as_read) {
        Ok(before) => {
            let bytes: Vec<u8> = before.chars().map(|c| c as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Err(e) => panic!("waiting for {needle:?}: {e}"),
    }
}

/// Types keys (Enter is `\r`, as a terminal sends it).
pub fn typing(session: &mut PtySession, keys: &str) {
    session.send(keys).expect("keys are sent");
    session.flush().expect("keys are sent");
}

/// Ctrl-C, then a pause: keys typed in the same read as a Ctrl-C at the prompt are dropped
/// with the input it cancels, as they would be by a person typing that fast.
pub fn ctrl_c(session: &mut PtySession) {
    session.send_control('c').expect("Ctrl-C");
    std::thread::sleep(Duration::from_millis(300));
}

pub fn quit(mut session: PtySession) {
    typing(&mut session, ".quit\r");
    session.exp_eof().expect("ffkg leaves on .quit");
}

/// On the embedded graph, wherever it is served (the prompt says where): TAB completes a class
/// of the ontology, the completed query finds Tunisia, and `.describe` shows its card.
pub fn completes_queries_and_describes(p: &mut PtySession, prompt: &str) {
    typing(p, "SELECT ?c WHERE { ?c a ff:Countr\t");
    expect(p, "ff:Country");
    typing(p, " . ?c rdfs:label \"Tunisia\"@en };\r");
    let table = expect(p, "1 row");
    assert!(table.contains("country:TUN"), "{table}");
    expect(p, prompt);
    typing(p, ".describe country:TUN\r");
    let card = expect(p, "Referenced by");
    assert!(
        card.contains("Tunisia") && card.contains("region:maghreb"),
        "{card}"
    );
    expect(p, prompt);
}

/// Runs `ffkg ARGS…` to its end in a pseudo-terminal of `size` (`"rows 0 cols 0"`, say), with
/// `COLUMNS` set or not, and returns everything it drew, escapes stripped, as UTF-8.
pub fn screen(size: &str, columns: Option<&str>, args: &[&str]) -> String {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("stty {size} && exec \"$0\" \"$@\""))
        .arg(assert_cmd::cargo::cargo_bin!("ffkg"))
        .args(args)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    let mut session = spawn_with_options(
        command,
        Options::new()
            .timeout_ms(Some(30_000))
            .strip_ansi_escape_codes(true),
    )
    .expect("ffkg starts in a pseudo-terminal");
    // rexpect reads the terminal byte by byte as characters: back to UTF-8.
    let bytes: Vec<u8> = session
        .exp_eof()
        .expect("ffkg ends")
        .chars()
        .map(|c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).replace('\r', "")
}
