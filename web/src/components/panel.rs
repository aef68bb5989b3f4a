use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub title: AttrValue,
    /// Shown after the title, e.g. the number of rows.
    #[prop_or_default]
    pub count: Option<usize>,
    /// For tests and styling: `data-testid` of the section.
    pub testid: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

/// A titled section of the side bar.
#[component]
pub fn Panel(props: &PanelProps) -> Html {
    html! {
        <section class="panel" data-testid={props.testid.clone()} aria-label={props.title.clone()}>
            <h2 class="panel-title">
                { props.title.clone() }
                if let Some(count) = props.count {
                    <span class="count">{ count }</span>
                }
            </h2>
            <div class="panel-body">{ props.children.clone() }</div>
        </section>
    }
}
