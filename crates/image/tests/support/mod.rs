pub mod archives;
