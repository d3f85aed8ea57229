// urllib.parse.urlsplit / urlunsplit as in CPython 3.11, for str and bytes (multidecoder) input.
// Differences that cannot matter for tagging are noted at the functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis::url {

struct SplitResult {
  std::string scheme;  // lower-cased
  std::string netloc;
  std::string path;
  std::string query;
  std::string fragment;

  // .hostname: the host of netloc, lower-cased (ASCII letters; a %zone keeps its case); nullopt when empty.
  std::optional<std::string> hostname() const;
  // .port: nullopt when absent; throws nothing, sets `valid` false where Python raises ValueError.
  std::optional<int> port(bool& valid) const;
  // The raw (host, port) text of netloc, like SplitResult._hostinfo.
  void hostinfo(std::string_view& host, std::optional<std::string_view>& port) const;
};

// urlsplit(url). nullopt where Python raises ValueError (unbalanced brackets, a bracketed host that is not an
// IPv6 address or a valid IPvFuture). Not reproduced: the NFKC check of non-ASCII netlocs (_checknetloc),
// and bytes input with non-ASCII bytes (Python raises UnicodeDecodeError there; here they are kept).
std::optional<SplitResult> urlsplit(std::string_view url);

// urlunsplit((scheme, netloc, path, query, fragment)).
std::string urlunsplit(const SplitResult& parts);

}  // namespace alcape::analysis::url
