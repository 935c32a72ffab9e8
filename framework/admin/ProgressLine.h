// ProgressLine: the progress of a long tarsadmin command (an upload, the nodes installing
// a version) on one output stream. On a terminal, one line rewritten in place ("\r", padded
// over the longer text before it); elsewhere (a pipe, a log file, a test's stream) a plain
// line each time the text changes, so that logs stay readable. Quiet (--json): nothing.
//
// Owned by the command that shows progress; one thread. finish() (or the destructor) ends
// an in-place line so that the next output starts on a line of its own.
#pragma once

#include <ostream>
#include <string>

namespace tars::admin {

class ProgressLine {
public:
    ProgressLine(std::ostream& out, bool terminal, bool quiet) : _out(out), _terminal(terminal), _quiet(quiet) {}
    ~ProgressLine() { finish(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    // Shows text, unless it is what is shown already.
    void update(const std::string& text);
    void finish();

private:
    std::ostream& _out;
    bool _terminal;
    bool _quiet;
    bool _open = false;  // an in-place line without its newline yet
    std::string _last;
};

}  // namespace tars::admin
