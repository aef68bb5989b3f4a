//! The rules' documentation as static web pages: `rules/index.html` (the catalogue) and
//! `rules/<CODE>/index.html` per rule, rendered from each rule's own doc comment (What, Why,
//! Bad, Good, Fix) and metadata. Pure: the caller writes the files (`layerlab rules --site DIR`,
//! run by `cargo xtask dist` into the web app's `dist/`), so `https://layerlab.dev/rules/CODE`
//! — the `url` of every layerlab finding — is one of these pages.
//!
//! The pages work offline and under the app's Content-Security-Policy: no script, no inline
//! style, one stylesheet of their own (`rules/rules.css`), and only relative links, so the site
//! works from any folder of any static host.

use std::fmt::Write;

use crate::registry;
use crate::RuleMeta;

/// The stylesheet the pages share.
const CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}\
code,pre{font:14px/1.4 ui-monospace,monospace}pre{padding:.75rem;overflow:auto;border:1px solid #8884}\
table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px solid #8884;text-align:left;vertical-align:top}\
.bad{border-left:4px solid #c33}.good{border-left:4px solid #3a3}\
@media (prefers-color-scheme:dark){body{background:#111;color:#ddd}a{color:#8bf}}\n";

/// Every file of the rules site: `(path relative to the site root, contents)`.
pub fn pages() -> Vec<(String, String)> {
    let metas: Vec<&'static RuleMeta> = registry::rules().iter().map(|r| r.meta()).collect();
    let mut files = vec![
        ("rules/rules.css".to_owned(), CSS.to_owned()),
        ("rules/index.html".to_owned(), index(&metas)),
    ];
    for meta in metas {
        files.push((format!("rules/{}/index.html", meta.code), page(meta)));
    }
    files
}

/// HTML-escapes text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The doc comments' Markdown subset: `` `code` `` and `**strong**`, escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, piece) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(piece));
        } else {
            for (j, part) in escape(piece).split("**").enumerate() {
                if j % 2 == 1 {
                    let _ = write!(out, "<strong>{part}</strong>");
                } else {
                    out.push_str(part);
                }
            }
        }
    }
    out
}

fn head(title: &str, up: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"{up}rules.css\">\n</head>\n<body>\n",
        escape(title)
    )
}

fn page(meta: &RuleMeta) -> String {
    let mut out = head(&format!("{} — layerlab rules", meta.code), "../");
    let _ = write!(
        out,
        "<nav><a href=\"../../\">layerlab</a> › <a href=\"../\">rules</a></nav>\n<h1>{}</h1>\n",
        escape(meta.code)
    );
    let _ = write!(
        out,
        "<p data-testid=\"summary\">{}</p>\n<table>\n<tr><th>Default level</th><td>{}</td></tr>\n\
         <tr><th>Category</th><td>{}</td></tr>\n<tr><th>Also answers to</th><td>{}</td></tr>\n\
         <tr><th>Fix</th><td>{}</td></tr>\n</table>\n",
        inline(meta.summary),
        meta.level.as_str(),
        format!("{:?}", meta.category).to_lowercase(),
        if meta.aliases.is_empty() {
            "—".to_owned()
        } else {
            escape(&meta.aliases.join(", "))
        },
        if meta.fixable { "yes" } else { "no" },
    );
    if let Some(doc) = registry::docs(meta.code) {
        // The first paragraph is the title line; the rest are What/Why/Bad/Good/Fix.
        for paragraph in doc.split("\n\n").skip(1) {
            let text = paragraph.split('\n').collect::<Vec<_>>().join(" ");
            if !text.trim().is_empty() {
                let _ = writeln!(out, "<p>{}</p>", inline(text.trim()));
            }
        }
    }
    let _ = write!(
        out,
        "<h2>Bad</h2>\n<pre class=\"bad\" data-testid=\"bad\">{}</pre>\n\
         <h2>Good</h2>\n<pre class=\"good\" data-testid=\"good\">{}</pre>\n</body>\n</html>\n",
        escape(meta.bad),
        escape(meta.good)
    );
    out
}

fn index(metas: &[&RuleMeta]) -> String {
    let mut out = head("layerlab rules", "");
    out.push_str(
        "<nav><a href=\"../\">layerlab</a></nav>\n<h1>Rules</h1>\n<table>\n\
         <tr><th>Rule</th><th>Level</th><th>Summary</th></tr>\n",
    );
    for meta in metas {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"{0}/\">{0}</a></td><td>{1}</td><td>{2}</td></tr>",
            escape(meta.code),
            meta.level.as_str(),
            inline(meta.summary)
        );
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_page_the_index_links_to() {
        let files = pages();
        let index = &files
            .iter()
            .find(|(p, _)| p == "rules/index.html")
            .unwrap_or(&files[0])
            .1;
        for rule in registry::rules() {
            let code = rule.meta().code;
            let path = format!("rules/{code}/index.html");
            let page = files.iter().find(|(p, _)| *p == path);
            assert!(page.is_some(), "no page for {code}");
            assert!(
                index.contains(&format!("href=\"{code}/\"")),
                "{code} not in the index"
            );
            // The URL findings carry ends in the page's folder.
            assert!(
                rule.meta().url().ends_with(&format!("/rules/{code}")) || !code.starts_with("DL"),
                "{code}"
            );
        }
        assert_eq!(files.len(), registry::rules().len() + 2);
    }

    #[test]
    fn a_page_renders_the_rule_doc_escaped_with_only_relative_links() {
        let files = pages();
        let page = &files
            .iter()
            .find(|(p, _)| p == "rules/DL3008/index.html")
            .map(|(_, html)| html.clone())
            .unwrap_or_default();
        assert!(page.contains("<h1>DL3008</h1>"));
        for section in ["What", "Why", "Bad", "Good", "Fix"] {
            assert!(
                page.contains(&format!("<strong>{section}</strong>")),
                "{section}"
            );
        }
        assert!(page.contains("<code>"));
        assert!(page.contains("apt-get install"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("style=\""));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.contains("href=\"../rules.css\""));
        assert_eq!(
            inline("a `<b>` **c**"),
            "a <code>&lt;b&gt;</code> <strong>c</strong>"
        );
    }
}
