// Deterministic identifiers of the ontology, computed exactly as Assemblyline computes them:
//  * ontology ids `<prefix>_<base62(int(sha256(str(get_recursive_sorted_tuples(d)))[:32], 16))>`
//    (assemblyline.common.dict_utils.get_dict_fingerprint_hash + common.uid.get_id_from_data), which needs
//    Python's repr() of lists of (key, value) tuples;
//  * object tags (normalize_path for processes, "<ip>:<port>" for connections, "<type>.<name>" for signatures);
//  * tree ids (chained sha256 of process-tree tags).
#pragma once

#include "json/value.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace alcape::analysis::ontology {

// Python repr() of the value as the reference holds it: strings with repr quoting/escapes, ints, floats (repr),
// True/False/None, lists as [..]; objects as the sorted list of (key, value) tuples (what
// get_recursive_sorted_tuples produces).
std::string python_repr(const json::Value& v);
// repr() of a Python str.
std::string python_str_repr(std::string_view s);

// baseconv.base62 encoding of a 128-bit unsigned integer (alphabet 0-9A-Za-z).
std::string base62(unsigned __int128 n);

// get_dict_fingerprint_hash(dict): base62 of the first 32 hex digits of sha256(repr(sorted tuples)).
std::string dict_fingerprint_hash(const json::Value& dict);

// ProcessModel.get_oid(data): "process_" + hash of {pid, ppid, image, command_line} (missing keys = None).
std::string process_oid(const json::Value& data);
// SandboxModel.get_oid(data): "sandbox_" + hash of the flattened sandbox_name, sandbox_version,
// analysis_metadata.start_time/end_time/task_id.
std::string sandbox_oid(const json::Value& data);
// SignatureModel.get_oid(data): "signature_" + hash of {name, type}.
std::string signature_oid(const json::Value& data);
// SignatureModel.get_tag(data): "<type>.<name>".
std::string signature_tag(const json::Value& data);
// NetworkConnectionModel.get_oid(data): "network_" / "network_http_" / "network_dns_" (+ "network_smtp_") +
// hash of the 5-tuple + connection_type (+ the request_* http details / dns domain and lookup type).
std::string network_connection_oid(const json::Value& data);
// NetworkConnectionModel.get_tag(data): "<destination_ip>:<destination_port>" (Python str() of each, None too).
std::string network_connection_tag(const json::Value& data);

// normalize_path (command_line_utils): lower-cased path with ?sys32, ?sys64, ?pf86, ?pf64, ?usrtmp, ?usr,
// ?win, ?c substitutions.
std::string normalize_path(std::string_view path);

// convert_processtree_id_to_tree_id("a|b|c"): sha256 chained over the '|'-separated tags.
std::string convert_processtree_id_to_tree_id(std::string_view processtree_id);

}  // namespace alcape::analysis::ontology
