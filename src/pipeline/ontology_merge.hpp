// One ontology for a run with several CAPE tasks: the reference writes every task into a single OntologyResults
// (reference-behaviour.md §1.9), so al-cape merges the per-task ontologies (sandboxes, processes, signatures,
// netflows, ...) into one.
#pragma once

#include "json/value.hpp"

namespace alcape::pipeline {

// Appends every list of `from` to the list of the same key in `into` (keys in order of first appearance), as
// OntologyResults' add_sandbox/add_process/... append (two tasks of one file are two sandboxes, each with its own
// processes). Non-list values: `into` keeps its own and takes missing ones.
// A null or non-object `from` changes nothing; a null `into` becomes `from`.
void merge_ontology(json::Value& into, const json::Value& from);

}  // namespace alcape::pipeline
