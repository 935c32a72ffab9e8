// A second translation unit including the generated headers: linking it with
// generated_test.cpp proves the headers define nothing twice.
#include "Rich.h"

#include <string>

std::string secondUnitGreeting() { return Demo::GREETING; }

Demo::Everything secondUnitEverything() {
    Demo::Everything e;
    e.color = Demo::BLACK;
    Demo::Everything copy;
    copy.readFromJsonString(e.writeToJsonString());
    return copy;
}
