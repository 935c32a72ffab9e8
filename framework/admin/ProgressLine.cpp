#include "ProgressLine.h"

namespace tars::admin {

void ProgressLine::update(const std::string& text) {
    if (_quiet || text == _last) return;
    if (_terminal) {
        std::string padded = text;
        if (padded.size() < _last.size()) padded.append(_last.size() - padded.size(), ' ');
        _out << "\r" << padded << std::flush;
        _open = true;
    } else {
        _out << text << "\n" << std::flush;
    }
    _last = text;
}

void ProgressLine::finish() {
    if (_open) _out << "\n" << std::flush;
    _open = false;
    _last.clear();
}

}  // namespace tars::admin
