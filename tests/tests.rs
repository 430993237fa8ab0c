//! Integration tests: loading and checking knowledge, matching on the shipped
//! knowledge base, the command line as a user runs it, and the development
//! question set.

mod bot;
mod check;
mod cli;
mod eval;
mod fake_api;
mod fake_api_selftest;
mod faults;
mod guided;
mod inputs;
mod learning;
mod matching;
mod properties;
mod serve;
mod storm;
mod util;
mod webhook;
