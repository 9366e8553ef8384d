//! Where a remote SPARQL endpoint is and how to reach it: `--endpoint` as a URL or as a name
//! from `endpoints.toml`, its update and graph-store URLs, extra headers, and credentials from
//! the environment or a netrc file. Everything is settled here, before any request is made.

use crate::error::{Error, Result};
use base64::Engine as _;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use url::Url;

/// A remote endpoint, ready to be asked.
#[derive(Clone)]
pub struct Endpoint {
    /// What the user called it: a name from the config file, or the URL.
    pub name: String,
    /// The SPARQL 1.1 Protocol URL queries go to.
    pub query: Url,
    /// Where updates go (the query URL unless told otherwise).
    pub update: Url,
    /// The SPARQL 1.1 Graph Store Protocol URL, when known (`ffkg push` uses it).
    pub store: Option<Url>,
    /// Headers sent with every request, `Authorization` included when credentials were found.
    pub headers: Vec<(String, String)>,
}

impl std::fmt::Debug for Endpoint {
    // Credentials stay out of debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("name", &self.name)
            .field("query", &self.query.as_str())
            .finish_non_exhaustive()
    }
}

/// What the command line says about the endpoint.
#[derive(Debug, Clone, Default)]
pub struct EndpointArgs {
    pub endpoint: String,
    pub update: Option<String>,
    pub store: Option<String>,
    /// `Name: value` pairs, as given to `--header`.
    pub headers: Vec<String>,
}

/// One `[name]` table of `endpoints.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Entry {
    query: String,
    update: Option<String>,
    store: Option<String>,
    /// HTTP basic: the user, and the environment variable holding the password.
    user: Option<String>,
    password_env: Option<String>,
    /// A bearer token, from this environment variable.
    token_env: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

/// Environment variables that give credentials for any endpoint (a config entry may name
/// others).
pub const TOKEN_VAR: &str = "FFKG_ENDPOINT_TOKEN";
pub const USER_VAR: &str = "FFKG_ENDPOINT_USER";
pub const PASSWORD_VAR: &str = "FFKG_ENDPOINT_PASSWORD";

/// The config file: `$XDG_CONFIG_HOME/ffkg/endpoints.toml` (`~/.config/ffkg/…`).
pub fn config_file() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("ffkg").join("endpoints.toml"))
}

impl Endpoint {
    /// Settles the endpoint from the command line, the config file and the environment.
    pub fn resolve(args: &EndpointArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Self> {
        let (name, entry) = if looks_like_url(&args.endpoint) {
            let entry = Entry {
                query: args.endpoint.clone(),
                ..Entry::default()
            };
            (args.endpoint.clone(), entry)
        } else {
            let path = config_file().ok_or_else(|| {
                Error::usage(format!(
                    "--endpoint {}: not a URL, and there is no config directory to look it up in",
                    args.endpoint
                ))
            })?;
            (args.endpoint.clone(), lookup(&path, &args.endpoint)?)
        };
        let query = parse_url(&entry.query, "--endpoint")?;
        let update = match args.update.as_ref().or(entry.update.as_ref()) {
            Some(url) => parse_url(url, "--endpoint-update")?,
            None => query.clone(),
        };
        let store = args
            .store
            .as_ref()
            .or(entry.store.as_ref())
            .map(|url| parse_url(url, "--graph-store"))
            .transpose()?;
        let mut headers: Vec<(String, String)> = entry.headers.clone().into_iter().collect();
        for header in &args.headers {
            headers.push(parse_header(header)?);
        }
        let explicit = headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        if !explicit {
            if let Some(value) = credentials(&entry, &query, env)? {
                headers.push(("Authorization".to_owned(), value));
            }
        }
        Ok(Self {
            name,
            query,
            update,
            store,
            headers,
        })
    }

    /// What the prompt calls it: its name in the config file, else its host and port.
    pub fn short_name(&self) -> String {
        if self.name != self.query.as_str() {
            return self.name.clone();
        }
        match (self.query.host_str(), self.query.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => self.name.clone(),
        }
    }

    /// The endpoint at a URL with nothing else said (the REPL's `.endpoint URL`).
    pub fn at(url: &str) -> Result<Self> {
        Self::resolve(
            &EndpointArgs {
                endpoint: url.to_owned(),
                ..EndpointArgs::default()
            },
            &|name| std::env::var(name).ok(),
        )
    }
}

fn looks_like_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

fn parse_url(text: &str, flag: &str) -> Result<Url> {
    let url = Url::parse(text).map_err(|e| Error::usage(format!("{flag} {text}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::usage(format!(
            "{flag} {text}: only http:// and https:// endpoints are supported"
        )));
    }
    Ok(url)
}

fn parse_header(text: &str) -> Result<(String, String)> {
    let (name, value) = text.split_once(':').ok_or_else(|| {
        Error::usage(format!(
            "--header {text:?}: expected `Name: value` (for example `X-Api-Key: …`)"
        ))
    })?;
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    let value = value.trim();
    if !valid_name || value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(Error::usage(format!(
            "--header {text:?}: not a valid HTTP header"
        )));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// The named entry of the config file; an unknown name gets the names there are.
fn lookup(path: &Path, name: &str) -> Result<Entry> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::usage(format!(
                "--endpoint {name}: not a URL, and {} does not exist to name it (see the README: \
                 named endpoints)",
                path.display()
            )));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        let (line, column) = line_column(&good, good.len());
        Error::usage(format!(
            "{}:{line}:{column}: not UTF-8 (TOML files are UTF-8)",
            path.display()
        ))
    })?;
    let mut entries: BTreeMap<String, Entry> = toml::from_str(&text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let (line, column) = line_column(&text, span.start);
                format!(":{line}:{column}")
            })
            .unwrap_or_default();
        Error::usage(format!("{}{place}: {}", path.display(), e.message()))
    })?;
    entries.remove(name).ok_or_else(|| {
        let known: Vec<&str> = entries.keys().map(String::as_str).collect();
        Error::usage(format!(
            "--endpoint {name}: {} names no such endpoint (it has: {})",
            path.display(),
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
    })
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The `Authorization` value: a bearer token, else HTTP basic from the environment, else the
/// netrc entry for the endpoint's host.
fn credentials(
    entry: &Entry,
    url: &Url,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<String>> {
    let token_var = entry.token_env.as_deref().unwrap_or(TOKEN_VAR);
    if let Some(token) = env(token_var).filter(|t| !t.is_empty()) {
        return Ok(Some(format!("Bearer {token}")));
    }
    let user = entry.user.clone().or_else(|| env(USER_VAR));
    let password_var = entry.password_env.as_deref().unwrap_or(PASSWORD_VAR);
    if let Some(user) = user {
        let password = env(password_var).unwrap_or_default();
        return Ok(Some(basic(&user, &password)));
    }
    let netrc = env("NETRC")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|home| home.join(".netrc")));
    let Some(path) = netrc else { return Ok(None) };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    Ok(url
        .host_str()
        .and_then(|host| netrc_login(&text, host))
        .map(|(user, password)| basic(&user, &password)))
}

fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// The login and password a netrc file gives `host` (its `machine` entry, else `default`), as
/// curl reads it: whitespace-separated tokens, `macdef` bodies skipped to a blank line.
fn netrc_login(text: &str, host: &str) -> Option<(String, String)> {
    let mut found: Option<(String, String)> = None;
    let mut default: Option<(String, String)> = None;
    // Which entry the tokens belong to: Some(true) the host's, Some(false) another's.
    let mut current: Option<(bool, bool)> = None; // (is host, is default)
    let mut login = String::new();
    let mut password = String::new();
    let mut finish = |current: Option<(bool, bool)>, login: &mut String, password: &mut String| {
        if let Some((is_host, is_default)) = current {
            let pair = (std::mem::take(login), std::mem::take(password));
            if is_host && found.is_none() {
                found = Some(pair);
            } else if is_default && default.is_none() {
                default = Some(pair);
            }
        }
        login.clear();
        password.clear();
    };
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let mut tokens = line.split_whitespace();
        while let Some(token) = tokens.next() {
            match token {
                "machine" => {
                    finish(current, &mut login, &mut password);
                    current = Some((tokens.next() == Some(host), false));
                }
                "default" => {
                    finish(current, &mut login, &mut password);
                    current = Some((false, true));
                }
                "login" => login = tokens.next().unwrap_or_default().to_owned(),
                "password" => password = tokens.next().unwrap_or_default().to_owned(),
                "macdef" => {
                    for body in lines.by_ref() {
                        if body.trim().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    finish(current, &mut login, &mut password);
    found.or(default).filter(|(login, _)| !login.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(endpoint: &str) -> EndpointArgs {
        EndpointArgs {
            endpoint: endpoint.to_owned(),
            ..EndpointArgs::default()
        }
    }

    #[test]
    fn netrc_gives_the_hosts_entry_before_the_default() {
        let text = "machine a.example login ann password one\n\
                    default login dee password two\n\
                    machine b.example\n  login bob\n  password three\n";
        assert_eq!(
            netrc_login(text, "b.example"),
            Some(("bob".into(), "three".into()))
        );
        assert_eq!(
            netrc_login(text, "a.example"),
            Some(("ann".into(), "one".into()))
        );
        assert_eq!(
            netrc_login(text, "c.example"),
            Some(("dee".into(), "two".into()))
        );
        let macro_first =
            "macdef init\nmachine x login evil password no\n\nmachine x login ok password yes\n";
        assert_eq!(
            netrc_login(macro_first, "x"),
            Some(("ok".into(), "yes".into()))
        );
        assert_eq!(netrc_login("machine y login u password p", "x"), None);
    }

    #[test]
    fn a_token_wins_over_a_user_and_an_explicit_header_over_both() {
        let env = |name: &str| match name {
            TOKEN_VAR => Some("t0k".to_owned()),
            USER_VAR => Some("u".to_owned()),
            PASSWORD_VAR => Some("p".to_owned()),
            _ => None,
        };
        let endpoint = Endpoint::resolve(&args("http://127.0.0.1:1/sparql"), &env).unwrap();
        assert_eq!(
            endpoint.headers,
            vec![("Authorization".to_owned(), "Bearer t0k".to_owned())]
        );
        let user_only = |name: &str| match name {
            USER_VAR => Some("Aladdin".to_owned()),
            PASSWORD_VAR => Some("open sesame".to_owned()),
            _ => None,
        };
        let endpoint = Endpoint::resolve(&args("http://127.0.0.1:1/sparql"), &user_only).unwrap();
        // RFC 7617's own example.
        assert_eq!(endpoint.headers[0].1, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        let mut explicit = args("http://127.0.0.1:1/sparql");
        explicit.headers = vec!["authorization: Bearer mine".to_owned()];
        let endpoint = Endpoint::resolve(&explicit, &env).unwrap();
        assert_eq!(
            endpoint.headers,
            vec![("authorization".to_owned(), "Bearer mine".to_owned())]
        );
    }

    #[test]
    fn bad_urls_and_headers_are_refused_with_the_flag() {
        let none = |_: &str| None;
        let error = Endpoint::resolve(&args("http://[::1/sparql"), &none)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("--endpoint http://[::1/sparql:"),
            "{error}"
        );
        let mut bad = args("http://127.0.0.1:1/sparql");
        bad.headers = vec!["no colon".to_owned()];
        let error = Endpoint::resolve(&bad, &none).unwrap_err().to_string();
        assert!(error.contains("expected `Name: value`"), "{error}");
        bad.headers = vec!["X-A: b\u{7}".to_owned()];
        let error = Endpoint::resolve(&bad, &none).unwrap_err().to_string();
        assert!(error.contains("not a valid HTTP header"), "{error}");
        let mut update = args("http://127.0.0.1:1/sparql");
        update.update = Some("ftp://x/".to_owned());
        let error = Endpoint::resolve(&update, &none).unwrap_err().to_string();
        assert!(error.contains("only http:// and https://"), "{error}");
    }

    #[test]
    fn config_entries_are_looked_up_by_name_with_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("endpoints.toml");
        std::fs::write(
            &path,
            "[local]\nquery = \"http://127.0.0.1:8890/sparql\"\nstore = \"http://127.0.0.1:8890/sparql-graph-crud\"\n\
             headers = { \"X-Trace\" = \"1\" }\n[other]\nquery = \"https://example.org/sparql\"\n",
        )
        .unwrap();
        let entry = lookup(&path, "local").unwrap();
        assert_eq!(
            entry.store.as_deref(),
            Some("http://127.0.0.1:8890/sparql-graph-crud")
        );
        assert_eq!(entry.headers["X-Trace"], "1");
        let error = lookup(&path, "wikidata").unwrap_err().to_string();
        assert!(error.ends_with("(it has: local, other)"), "{error}");
        std::fs::write(&path, "[local]\nquery = \"x\"\nqueyr = 1\n").unwrap();
        let error = lookup(&path, "local").unwrap_err().to_string();
        assert!(
            error.contains("endpoints.toml:3:1: unknown field `queyr`"),
            "{error}"
        );
    }

    #[test]
    fn the_readme_example_config_names_every_endpoint() {
        let readme = include_str!("../../README.md");
        let example = readme
            .split("```toml\n")
            .skip(1)
            .filter_map(|rest| rest.split("```").next())
            .find(|block| block.contains("[virtuoso]"))
            .expect("the endpoints.toml block in the README");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("endpoints.toml");
        std::fs::write(&path, example).unwrap();
        for name in ["virtuoso", "fuseki", "wikidata", "graphdb"] {
            let entry = lookup(&path, name).unwrap();
            parse_url(&entry.query, "query").unwrap();
        }
        let fuseki = lookup(&path, "fuseki").unwrap();
        let env = |name: &str| (name == "FUSEKI_PASSWORD").then(|| "secret".to_owned());
        let query = parse_url(&fuseki.query, "query").unwrap();
        assert_eq!(
            credentials(&fuseki, &query, &env).unwrap().as_deref(),
            Some(basic("admin", "secret").as_str())
        );
    }

    #[test]
    fn bad_bytes_in_the_config_file_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("endpoints.toml");
        std::fs::write(&path, b"[x]\nquery = \"http://a\xff\"\n").unwrap();
        let error = lookup(&path, "x").unwrap_err().to_string();
        assert!(
            error.ends_with("endpoints.toml:2:18: not UTF-8 (TOML files are UTF-8)"),
            "{error}"
        );
    }
}
