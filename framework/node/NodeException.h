// Node_Exception: a failure of tarsnode's own work on one server (a config that cannot be
// built or written, an executable that cannot be started). what() names the server and
// the problem, so the node logs it and answers it to the caller as a result text.
#pragma once

#include "util/tc_ex.h"

namespace tars {

struct Node_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

}  // namespace tars
