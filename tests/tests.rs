//! Integration tests: loading and checking knowledge, matching on the shipped
//! knowledge base, the command line as a user runs it, and the development
//! question set.

mod check;
mod cli;
mod eval;
mod matching;
mod util;
