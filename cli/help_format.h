// --help output that starts with one usage line, as man-page readers and `cmd --help | head -1`
// expect, then the one-line description. CLI11 (2.1) puts its description first and its own
// generic "Usage: redirect [OPTIONS]" second; this formatter swaps them and says the real form.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

namespace redirect::cli {

class UsageFirst final : public CLI::Formatter {
 public:
  explicit UsageFirst(std::string usage) : usage_(std::move(usage)) {}
  std::string make_description(const CLI::App*) const override { return {}; }
  std::string make_usage(const CLI::App* app, std::string) const override {
    return "Usage: " + usage_ + "\n" + app->get_description() + "\n";
  }

 private:
  std::string usage_;
};

/// Gives `app` a --help whose first line is "Usage: " + `usage`.
inline void usage_first(CLI::App& app, std::string usage) {
  app.formatter(std::make_shared<UsageFirst>(std::move(usage)));
}

}  // namespace redirect::cli
