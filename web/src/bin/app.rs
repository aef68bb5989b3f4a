//! The page. Trunk builds it from /index.html (`data-bin="app"`).

fn main() {
    yew::Renderer::<layerlab_web::app::App>::new().render();
}
