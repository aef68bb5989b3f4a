//! The page in `?embed` mode, for an iframe in documentation: no top bar or tabs, one panel —
//! the editor with its problems below — linted as you type, and a link that opens the same
//! Dockerfile in the full app. The Dockerfile and its lint settings come from the share
//! payload in the hash (`?embed#/?s=…`, as the Share button makes it); `public/embed.js` (the
//! `<layerlab-playground>` element) writes such a URL from the element's text.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::components::diagnostics::Diagnostics;
use crate::components::editor::Editor;
use crate::components::report_wiring::{use_report_wiring, ReportWiring};
use crate::components::status::Status;
use crate::hooks::use_parser;
use crate::sample::SAMPLE_DOCKERFILE;
use crate::share::{self, Restored, Shared};

/// Quiet time after the last keystroke before the text goes to the parser (as the playground).
const DEBOUNCE_MS: u32 = 100;

/// Whether a page address's query (`location.search`) asks for embed mode: `?embed`,
/// `?embed=1`, or `embed` among other parameters.
pub fn is_embed_query(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == "embed" || pair.starts_with("embed="))
}

/// The full app's address for an embed-mode address: the same URL without `embed` in its
/// query (other parameters and the hash are kept).
pub fn without_embed_query(url: &str) -> String {
    let (before_hash, hash) = match url.split_once('#') {
        Some((before, hash)) => (before, Some(hash)),
        None => (url, None),
    };
    let (path, query) = before_hash.split_once('?').unwrap_or((before_hash, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && *pair != "embed" && !pair.starts_with("embed="))
        .collect();
    let mut out = path.to_owned();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(hash) = hash {
        out.push('#');
        out.push_str(hash);
    }
    out
}

/// Whether the current page was opened in embed mode.
pub fn embed_mode() -> bool {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .is_some_and(|search| is_embed_query(&search))
}

/// The whole page: the app, or in embed mode (`?embed`) only the embedded playground.
#[component]
pub fn Page() -> Html {
    let embedded = use_memo((), |_| embed_mode());
    if *embedded {
        html! { <EmbeddedPlayground /> }
    } else {
        html! { <crate::app::App /> }
    }
}

/// The editor and its problems, nothing else: the embed-mode page.
#[component]
pub fn EmbeddedPlayground() -> Html {
    let restored = use_memo((), |_| Restored::from_location());
    let text = use_state(|| restored.dockerfile_or(SAMPLE_DOCKERFILE));
    let parser = use_parser();
    let editor_ref = use_node_ref();
    let debounce = use_mut_ref(|| None::<Timeout>);
    let open_error = use_state(|| None::<String>);

    {
        let parser = parser.clone();
        let (initial_text, settings) = (text.to_string(), restored.settings());
        use_effect_with((), move |_| parser.submit(initial_text, settings));
    }

    let on_input = {
        let (set_text, parser, restored) = (text.setter(), parser.clone(), restored.clone());
        use_callback((), move |value: String, _| {
            set_text.set(AttrValue::from(value.clone()));
            let (parser, settings) = (parser.clone(), restored.settings());
            *debounce.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                parser.submit(value, settings)
            }));
        })
    };

    let state = parser.state();
    let parsed = state.parsed.as_ref();
    let ReportWiring {
        report,
        up_to_date,
        marks,
        on_select,
        on_fix,
    } = use_report_wiring(state, &text, &editor_ref, &on_input);
    // Opens the full app in a new tab with the Dockerfile as it is now (and the link's
    // lint settings).
    let open_in_app = {
        let (text, open_error, restored) = (text.clone(), open_error.clone(), restored.clone());
        Callback::from(move |_: MouseEvent| {
            let state = Shared {
                dockerfile: Some(text.to_string()),
                settings: restored.state.settings.clone(),
                scenario: None,
            };
            let opened = share::link(&state).and_then(|link| {
                let window = web_sys::window().ok_or_else(|| "no window".to_owned())?;
                window
                    .open_with_url_and_target_and_features(
                        &without_embed_query(&link),
                        "_blank",
                        "noopener",
                    )
                    .map(|_| ())
                    .map_err(|_| "the browser refused to open a new tab".to_owned())
            });
            open_error.set(opened.err());
        })
    };

    html! {
        <div class="embedded" data-testid="embedded">
            <div class="embedded-bar">
                <span class="brand">{ "layerlab" }</span>
                <Status
                    {up_to_date}
                    has_report={parsed.is_some()}
                    failed={state.error.as_ref().is_some_and(|e| e.concerns(&text))}
                    elapsed_ms={parsed.map(|p| p.elapsed_ms)}
                    version={None::<AttrValue>}
                />
                <button type="button" class="toggle" data-testid="open-in-app" onclick={open_in_app}>
                    { "Open in layerlab" }
                </button>
            </div>
            if let Some(error) = &state.error {
                <p class="alert" role="alert" data-testid="parser-error">{ error.message.clone() }</p>
            }
            if let Some(error) = &restored.error {
                <p class="alert" role="alert" data-testid="share-error">{ format!("This Dockerfile could not be read from the address: {error}") }</p>
            }
            if let Some(error) = &*open_error {
                <p class="alert" role="alert">{ format!("Could not open the app: {error}") }</p>
            }
            <section class="embedded-editor" aria-label="Editor">
                <Editor value={(*text).clone()} {on_input} node_ref={editor_ref}
                        marks={marks} on_fix={on_fix.clone()} can_fix={up_to_date} />
            </section>
            <section class="embedded-problems" aria-label="Problems">
                <Diagnostics {report} {on_select} {on_fix} can_fix={up_to_date} />
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_query_is_recognised_among_other_parameters() {
        assert!(is_embed_query("?embed"));
        assert!(is_embed_query("?embed=1"));
        assert!(is_embed_query("?theme=dark&embed"));
        assert!(!is_embed_query(""));
        assert!(!is_embed_query("?embedded"));
    }

    #[test]
    fn the_full_app_address_drops_only_embed() {
        assert_eq!(
            without_embed_query("http://h/app/?embed#/?s=abc"),
            "http://h/app/#/?s=abc"
        );
        assert_eq!(
            without_embed_query("file:///x/layerlab.html?a=1&embed=1&b#/"),
            "file:///x/layerlab.html?a=1&b#/"
        );
        assert_eq!(without_embed_query("http://h/?embed"), "http://h/");
    }
}
