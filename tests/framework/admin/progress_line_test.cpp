// ProgressLine: in place on a terminal, plain lines elsewhere, nothing when quiet.
#include "ProgressLine.h"

#include <gtest/gtest.h>

#include <sstream>

using tars::admin::ProgressLine;

TEST(ProgressLine, OnATerminalRewritesOneLineInPlaceAndPadsOverLongerText) {
    std::ostringstream out;
    {
        ProgressLine line(out, true, false);
        line.update("upload 10%");
        line.update("upload 10%");  // unchanged: not written again
        line.update("upload 100% done");
        line.update("ok");
    }
    EXPECT_EQ(out.str(), "\rupload 10%\rupload 100% done\rok              \n");
}

TEST(ProgressLine, ElsewhereWritesAPlainLinePerChange) {
    std::ostringstream out;
    ProgressLine line(out, false, false);
    line.update("install v1: node1 0%");
    line.update("install v1: node1 0%");
    line.update("install v1: node1 100%");
    line.finish();
    EXPECT_EQ(out.str(), "install v1: node1 0%\ninstall v1: node1 100%\n");
    EXPECT_EQ(out.str().find('\r'), std::string::npos);
}

TEST(ProgressLine, QuietWritesNothing) {
    std::ostringstream out;
    {
        ProgressLine line(out, true, true);
        line.update("upload 50%");
        line.finish();
    }
    EXPECT_TRUE(out.str().empty());
}

TEST(ProgressLine, FinishEndsTheLineOnceAndTheNextUpdateStartsAfresh) {
    std::ostringstream out;
    ProgressLine line(out, true, false);
    line.update("a");
    line.finish();
    line.finish();
    line.update("a");
    line.finish();
    EXPECT_EQ(out.str(), "\ra\n\ra\n");
}
