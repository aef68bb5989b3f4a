//! The page. Trunk builds it from /index.html (`data-bin="app"`). `Page` is the app, or only
//! the embedded playground when the address asks for `?embed`.

fn main() {
    yew::Renderer::<layerlab_web::components::embedded::Page>::new().render();
}
