// The profile templates a fresh db_tars needs, seeded by the registry at start:
//
//   tars.default   what every server deployed without a template of its own gets: the
//                  client section (locator and call timeouts) and server defaults
//   tars.tarsnode  what getNodeTemplate answers a node without a template: its client
//                  section and its keep-alive timings
//
// A template that exists is never touched: an operator's edits survive restarts. The
// texts are in DefaultTemplates.cpp and framework/registry/README.md.
#pragma once

#include <string>
#include <vector>

#include "TemplateStore.h"

namespace tars {

// The templates above, as they are seeded.
const std::vector<ProfileTemplate>& defaultTemplates();

// Inserts each default template missing from the store; the names inserted. Throws
// StoreError when the database fails.
std::vector<std::string> seedDefaultTemplates(TemplateStore& templates, int64_t now);

}  // namespace tars
