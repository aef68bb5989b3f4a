//! The page: a top bar with the views, and the view chosen by the URL hash (`#/<view>`;
//! anything unknown is the playground), so each view has a link of its own. A new view is a
//! `View` variant, its hash and label, and its component in the `match` below.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::image_view_host::ImageViewHost;
use crate::components::playground::Playground;
use crate::components::theme_toggle::ThemeToggle;

/// The app's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Playground,
    Image,
}

/// Every view, in tab order.
const VIEWS: [View; 2] = [View::Playground, View::Image];

impl View {
    /// The view a URL hash names.
    pub fn from_hash(hash: &str) -> View {
        let route = hash
            .trim_start_matches('#')
            .split(['?', '&'])
            .next()
            .unwrap_or("");
        VIEWS
            .into_iter()
            .find(|view| view.hash().trim_start_matches('#') == route)
            .unwrap_or(View::Playground)
    }

    fn hash(self) -> &'static str {
        match self {
            View::Playground => "#/",
            View::Image => "#/image",
        }
    }

    fn label(self) -> &'static str {
        match self {
            View::Playground => "Dockerfile",
            View::Image => "Image explorer",
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

#[component]
pub fn App() -> Html {
    let view = use_state(|| View::from_hash(&current_hash()));
    {
        // Back/forward and typed links switch views too.
        let view = view.setter();
        use_effect_with((), move |_| {
            let listener =
                Closure::<dyn Fn()>::new(move || view.set(View::from_hash(&current_hash())));
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let tabs = VIEWS.map(|tab| {
        let current = *view == tab;
        html! {
            <a href={tab.hash()} class={classes!("tab", current.then_some("current"))}
               aria-current={current.then_some("page")} data-testid="view-tab">
                { tab.label() }
            </a>
        }
    });
    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="brand">{ "layerlab" }</h1>
                <nav class="tabs" aria-label="Views">{ for tabs }</nav>
                <ThemeToggle />
            </header>
            {
                match *view {
                    View::Playground => html! { <Playground /> },
                    View::Image => html! { <ImageViewHost /> },
                }
            }
        </div>
    }
}
