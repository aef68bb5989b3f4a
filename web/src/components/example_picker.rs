//! The gallery of workshop examples: picking one loads it into the editor (as one undoable
//! edit).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::gallery::{Example, EXAMPLES};

#[derive(Properties, PartialEq)]
pub struct ExamplePickerProps {
    pub on_pick: Callback<&'static Example>,
}

#[component]
pub fn ExamplePicker(props: &ExamplePickerProps) -> Html {
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |event: Event| {
            let select = event.target_unchecked_into::<HtmlSelectElement>();
            if let Some(example) = EXAMPLES.iter().find(|e| e.id == select.value()) {
                on_pick.emit(example);
            }
            // Back to the prompt, so the same example can be loaded again.
            select.set_value("");
        })
    };
    html! {
        <select class="example-picker" data-testid="gallery" aria-label="Load an example Dockerfile" {onchange}>
            <option value="" selected=true>{ "Examples…" }</option>
            { for EXAMPLES.iter().map(|e| html! {
                <option value={e.id} title={e.lesson}>{ e.title }</option>
            }) }
        </select>
    }
}
