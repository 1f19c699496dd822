// Tests of inproc/config.cpp: the configuration of the in-process backend survives its one-line
// text form (every byte of a path or an @{VAR} value but NUL), and a damaged text is refused
// with what is wrong, never half-read.
#include "inproc/arm.h"

#include <doctest/doctest.h>

using redirect::inproc::Config;
using redirect::inproc::decode_config;
using redirect::inproc::encode_config;

TEST_CASE("inproc config: round trip of odd bytes, unset variables and the notice fd") {
  Config c;
  c.rule_files = {"/snap/app/x1/rules.toml", "/tmp/a dir;with=odd%chars\n/r.toml"};
  c.env = {{"SNAP", "/snap/app/x1"}, {"EMPTY", ""}, {"GONE", std::nullopt},
           {"ODD", "a;b=c%d\te\x01"}};
  c.library = "/usr/lib/x86_64-linux-gnu/redirect/libredirect-inproc.so";
  c.notice_fd = 201;
  c.notice_dev = 2049;
  c.notice_ino = 123456789012ull;
  const std::string text = encode_config(c);
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find('\t') == std::string::npos);
  std::string error;
  std::optional<Config> back = decode_config(text, error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(back->rule_files == c.rule_files);
  CHECK(back->env == c.env);
  CHECK(back->library == c.library);
  CHECK(back->notice_fd == 201);
  CHECK(back->notice_dev == 2049);
  CHECK(back->notice_ino == 123456789012ull);
  CHECK(back->launcher.empty());
}

TEST_CASE("inproc config: the launcher's path travels when there is one") {
  Config c;
  c.rule_files = {"/r.toml"};
  c.library = "/lib/redirect/libredirect-inproc.so";
  c.launcher = "/lib/redirect dir/redirect-inproc-exec";
  std::string error;
  std::optional<Config> back = decode_config(encode_config(c), error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(back->launcher == c.launcher);
}

TEST_CASE("inproc config: damaged texts are refused with a reason") {
  std::string error;
  CHECK_FALSE(decode_config("v0;rules=/r", error).has_value());
  CHECK(error == "not a configuration of this version of redirect");
  CHECK_FALSE(decode_config("v1;rules=/r%4", error).has_value());
  CHECK(error == "bad field 'rules=/r%4'");
  CHECK_FALSE(decode_config("v1;bogus=1;lib=/l;rules=/r", error).has_value());
  CHECK(error == "bad field 'bogus=1'");
  CHECK_FALSE(decode_config("v1;lib=/l", error).has_value());
  CHECK(error == "incomplete configuration (no rule files or no library)");
}

TEST_CASE("inproc config: the record descriptor and --dry-run travel when asked") {
  Config c;
  c.rule_files = {"/r.toml"};
  c.library = "/lib/redirect/libredirect-inproc.so";
  std::string error;
  std::optional<Config> plain = decode_config(encode_config(c), error);
  REQUIRE_MESSAGE(plain.has_value(), error);
  CHECK(plain->record_fd == -1);
  CHECK_FALSE(plain->dry_run);
  c.record_fd = 202;
  c.record_dev = 9;
  c.record_ino = 4242;
  c.dry_run = true;
  std::optional<Config> back = decode_config(encode_config(c), error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(back->record_fd == 202);
  CHECK(back->record_dev == 9);
  CHECK(back->record_ino == 4242);
  CHECK(back->dry_run);
  CHECK_FALSE(decode_config("v1;rules=/r;lib=/l;dry-run=0", error).has_value());
  CHECK(error == "bad field 'dry-run=0'");
}

TEST_CASE("inproc config: a trace travels with its host-write root, and may have no rules") {
  Config c;
  c.library = "/lib/redirect/libredirect-inproc.so";
  std::string error;
  CHECK_FALSE(decode_config(encode_config(c), error).has_value());  // a run needs rules
  c.trace = true;
  c.host_write_root = "/b/with space";
  std::optional<Config> back = decode_config(encode_config(c), error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(back->trace);
  CHECK(back->rule_files.empty());
  CHECK(back->host_write_root == "/b/with space");
  CHECK_FALSE(decode_config("v1;lib=/l;trace=2", error).has_value());
  CHECK(error == "bad field 'trace=2'");
}
