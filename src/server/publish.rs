//! `ffkg publish --out DIR`: the endpoint's linked data as a static site any static host can
//! serve — every resource's page and triples (`id/KIND/KEY.html`, `.ttl`, `.nt`, `.jsonld`,
//! `.rdf`), the ontology's and the measures' pages and documents, the VoID description, the full
//! dumps, an index, a sitemap, and the `.htaccess` that w3id.org needs to send the graph's IRIs
//! to the site by content negotiation. The same renderers as `ffkg serve`, with links to files.

use super::html::escape;
use super::negotiate::{DOCUMENTS, Document};
use super::page::{NAMESPACE, Site, render, wrap_page};
use super::resource::relations_query;
use super::vocabulary::{self, VOCABULARIES};
use super::void::{self, DUMPS};
use crate::config::PublishConfig;
use crate::data::{Backend, Dataset};
use crate::describe::Lookup;
use crate::engine::{self, OutputOptions, duration_text};
use crate::error::{Error, ExitStatus, Result};
use crate::output::sink::Buffer;
use crate::sparql::prefixes::ID;
use crate::sparql::{Kind, Settings, Source};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

pub fn run(config: PublishConfig) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let dataset = Dataset::open(&config.dataset)?;
    let site = Publisher {
        dataset: &dataset,
        settings: Settings::default(),
        token: CancellationToken::new(),
        out: config.out.clone(),
        url: config.site_url.clone(),
        sources: config.sources.clone(),
        pages: Vec::new(),
        files: 0,
    };
    let (pages, files) = site.publish(dataset.holds_embedded())?;
    eprintln!(
        "ffkg publish: wrote {pages} pages and {files} files to {} in {}",
        config.out.display(),
        duration_text(started.elapsed())
    );
    Ok(ExitStatus::Success)
}

struct Publisher<'a> {
    dataset: &'a Dataset,
    settings: Settings,
    token: CancellationToken,
    out: PathBuf,
    /// Where the site will be served, without a trailing slash.
    url: String,
    /// The source documents' texts, for quotes in their paragraphs.
    sources: Option<PathBuf>,
    /// The paths of the pages written, for the sitemap.
    pages: Vec<String>,
    files: usize,
}

impl Publisher<'_> {
    fn publish(mut self, embedded: bool) -> Result<(usize, usize)> {
        let resources = self.resources()?;
        let prefixes = self.settings.prefixes.clone();
        for (node, _) in &resources {
            let Some(path) = local_path(node) else {
                continue;
            };
            let description = self.lookup().describe(node)?;
            let compared = self.lookup().compare_sources(node)?;
            let passage = self.lookup().passage(node, self.sources.as_deref())?;
            let page = render(
                &description,
                compared.as_ref(),
                passage.as_ref(),
                &path,
                &prefixes,
                Site::Static,
            );
            self.page(&path, &page)?;
            self.documents(&path, &relations_query(node))?;
        }
        for vocabulary in &VOCABULARIES {
            let rows = self.rows(&vocabulary::query(vocabulary))?;
            if rows.is_empty() {
                continue;
            }
            let page = vocabulary::document(vocabulary, &rows, &prefixes, Site::Static);
            self.page(vocabulary.path, &page)?;
            self.documents(vocabulary.path, &vocabulary::construct(vocabulary))?;
        }
        for (suffix, format) in DUMPS {
            let mut buffer = Buffer::default();
            let name = format!("dump.{suffix}");
            self.dataset
                .write_dataset(format, &prefixes, &name, &mut buffer, false)?;
            self.file(&format!("/{name}"), &buffer.bytes)?;
        }
        let turtle = {
            let rows = |query: String| self.rows(&query);
            void::describe(&self.url, None, embedded, &rows)?
        };
        self.file("/.well-known/void", turtle.as_bytes())?;
        self.file("/void.ttl", turtle.as_bytes())?;
        let index = self.index(&resources, embedded);
        self.page("/index", &index)?;
        let sitemap = self.sitemap();
        self.file("/sitemap.xml", sitemap.as_bytes())?;
        self.file("/.htaccess", htaccess(&self.url).as_bytes())?;
        Ok((self.pages.len(), self.files))
    }

    fn lookup(&self) -> Lookup<'_> {
        Lookup {
            dataset: self.dataset,
            settings: &self.settings,
            token: self.token.clone(),
        }
    }

    fn rows(&self, query: &str) -> Result<Vec<Vec<Option<Term>>>> {
        let source = Source::new("publish", query);
        Ok(engine::select(self.dataset, &self.settings, &source, &self.token)?.rows)
    }

    /// Every resource of the graph's namespace the graph mentions, with its label.
    fn resources(&self) -> Result<Vec<(NamedNode, Option<String>)>> {
        let rows = self.rows(&format!(
            "SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ \
               {{ ?s ?p ?o }} UNION {{ ?x ?q ?s }} \
               FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{ID}\")) \
               OPTIONAL {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} \
             }} GROUP BY ?s ORDER BY ?s"
        ))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| match (row.first(), row.get(1)) {
                (Some(Some(Term::NamedNode(n))), label) => Some((
                    n.clone(),
                    match label {
                        Some(Some(Term::Literal(l))) => Some(l.value().to_owned()),
                        _ => None,
                    },
                )),
                _ => None,
            })
            .collect())
    }

    /// `path`'s document in every RDF syntax a page offers, from a CONSTRUCT query.
    fn documents(&mut self, path: &str, construct: &str) -> Result<()> {
        let source = Source::new("publish", construct);
        let statement = engine::prepare_as(&source, &self.settings, Kind::Query)?;
        for (document, suffix) in DOCUMENTS {
            let Document::Rdf(format) = document else {
                continue;
            };
            let mut sink = Buffer::default();
            let output = OutputOptions {
                graphs: Some(format),
                ..OutputOptions::default()
            };
            engine::run_query(
                self.dataset,
                &statement,
                &self.settings,
                &output,
                &mut sink,
                &self.token,
            )?;
            self.file(&format!("{path}.{suffix}"), &sink.bytes)?;
        }
        Ok(())
    }

    fn page(&mut self, path: &str, html: &str) -> Result<()> {
        self.pages.push(format!("{path}.html"));
        self.file(&format!("{path}.html"), html.as_bytes())
    }

    /// Writes a file of the site at `path` (from its root), making its directories.
    fn file(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let target = self.out.join(path.trim_start_matches('/'));
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        self.files += 1;
        Ok(())
    }

    /// The site's front page: the vocabularies, the dataset's description and dumps, and every
    /// resource by kind.
    fn index(&self, resources: &[(NamedNode, Option<String>)], embedded: bool) -> String {
        let title = if embedded {
            "ffkg: foreign fighters who joined the Islamic State"
        } else {
            "ffkg: a linked-data site"
        };
        let mut body = format!("<h1>{}</h1>\n<ul>\n", escape(title));
        for vocabulary in &VOCABULARIES {
            if self
                .pages
                .iter()
                .any(|p| p == &format!("{}.html", vocabulary.path))
            {
                let _ = writeln!(
                    body,
                    "<li><a href=\"{path}.html\">{name}</a> (<code>{iri}</code>)</li>",
                    path = vocabulary.path,
                    name = vocabulary.path.trim_start_matches('/'),
                    iri = vocabulary.iri
                );
            }
        }
        body.push_str("<li><a href=\"/void.ttl\">The dataset's VoID description</a></li>\n");
        let dumps: Vec<String> = DUMPS
            .iter()
            .map(|(suffix, _)| format!("<a href=\"/dump.{suffix}\">{suffix}</a>"))
            .collect();
        let _ = writeln!(
            body,
            "<li>The whole graph: {}</li>\n</ul>",
            dumps.join(" · ")
        );
        let mut kinds: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
        for (node, label) in resources {
            let Some(path) = local_path(node) else {
                continue;
            };
            let kind = node.as_str()[ID.len()..]
                .split('/')
                .next()
                .unwrap_or_default();
            let name = label
                .clone()
                .unwrap_or_else(|| path.rsplit('/').next().unwrap_or_default().to_owned());
            kinds.entry(kind).or_default().push((path, name));
        }
        for (kind, entries) in &kinds {
            let _ = writeln!(
                body,
                "<h2 id=\"{kind}\">{kind} ({})</h2>\n<ul>",
                entries.len()
            );
            for (path, name) in entries {
                let _ = writeln!(
                    body,
                    "<li><a href=\"{}.html\">{}</a></li>",
                    escape(path),
                    escape(name)
                );
            }
            body.push_str("</ul>\n");
        }
        wrap_page(title, "", &body, Site::Static)
    }

    fn sitemap(&self) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for page in &self.pages {
            let _ = writeln!(
                xml,
                "  <url><loc>{}{}</loc></url>",
                escape(&self.url),
                escape(page)
            );
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

/// The path of a resource's documents on the site (`/id/KIND/KEY`), for IRIs whose every
/// segment is a plain file name.
fn local_path(node: &NamedNode) -> Option<String> {
    let path = node.as_str().strip_prefix(NAMESPACE)?;
    let plain = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    };
    path.strip_prefix('/')?
        .split('/')
        .all(plain)
        .then(|| path.to_owned())
}

/// The rules w3id.org's `ffkg/.htaccess` needs: each IRI of the namespace sent with 303 to its
/// document on the site, by the Accept header — HTML unless an RDF syntax is asked for.
fn htaccess(site: &str) -> String {
    let mut rules = format!(
        "# w3id.org/ffkg: redirects to the ffkg site at {site} (written by ffkg publish).\n\
         # Each IRI names a thing; it answers 303 with the document about it, by Accept.\n\
         Options +FollowSymLinks\nRewriteEngine on\n\n"
    );
    let things = "^(id/[^/]+/[^/]+|ontology|measures)$";
    for (document, suffix) in DOCUMENTS {
        let Document::Rdf(format) = document else {
            continue;
        };
        let media = format.media_type().split(';').next().unwrap_or_default();
        let _ = writeln!(
            rules,
            "RewriteCond %{{HTTP_ACCEPT}} {}\nRewriteCond %{{HTTP_ACCEPT}} !text/html\n\
             RewriteRule {things} {site}/$1.{suffix} [R=303,L]\n",
            media.replace('+', "\\+")
        );
    }
    let _ = writeln!(
        rules,
        "RewriteRule {things} {site}/$1.html [R=303,L]\n\
         RewriteRule ^\\.well-known/void$ {site}/void.ttl [R=303,L]\n\
         RewriteRule ^$ {site}/index.html [R=303,L]"
    );
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_become_files() {
        let path = |iri: &str| local_path(&NamedNode::new(iri).expect("an IRI"));
        assert_eq!(
            path("https://w3id.org/ffkg/id/country/TUN").as_deref(),
            Some("/id/country/TUN")
        );
        assert_eq!(path("https://w3id.org/ffkg/id/x/../../etc"), None);
        assert_eq!(path("https://w3id.org/ffkg/id/x/a%2Fb"), None);
        assert_eq!(path("https://example.org/id/country/TUN"), None);
    }

    #[test]
    fn the_redirect_rules_send_each_syntax_to_its_file() {
        let rules = htaccess("https://example.org/ffkg");
        assert!(
            rules.contains("RewriteCond %{HTTP_ACCEPT} text/turtle"),
            "{rules}"
        );
        assert!(
            rules.contains("https://example.org/ffkg/$1.ttl [R=303,L]"),
            "{rules}"
        );
        assert!(rules.contains("application/rdf\\+xml"), "{rules}");
        assert!(
            rules.contains("https://example.org/ffkg/$1.html [R=303,L]"),
            "{rules}"
        );
    }
}
