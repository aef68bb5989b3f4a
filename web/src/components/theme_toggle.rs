//! Light, dark, or as the system says: sets `data-theme` on `<html>`, which style.css reads.
//! The choice lasts as long as the page.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[component]
pub fn ThemeToggle() -> Html {
    let theme = use_state(|| Theme::System);
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = theme.next();
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                match next {
                    Theme::System => root.remove_attribute("data-theme").ok(),
                    other => root.set_attribute("data-theme", other.name()).ok(),
                };
            }
            theme.set(next);
        })
    };
    html! {
        <button type="button" class="theme-toggle" data-testid="theme-toggle" {onclick}
                aria-label={format!("Colour theme: {} (change)", theme.name())}>
            { format!("Theme: {}", theme.name()) }
        </button>
    }
}
