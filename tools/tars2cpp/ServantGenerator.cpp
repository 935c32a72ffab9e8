// The server side of an interface: the class a user derives from to implement
// it. For `interface Hello` it writes `class Hello : public tars::Servant` with
// one pure virtual function per method, a static async_response_<method>() per
// method (for a servant that answers later), and onDispatch(), which finds the
// method by name, decodes its arguments in the request's version (TARS binary,
// TUP 2/3 or JSON), calls it and encodes the result in the same version.
//
// The encoding of a result lives in one private static function per method,
// called by both onDispatch() and async_response_<method>(), so the synchronous
// and the asynchronous answer are the same bytes by construction.
#include "CppNames.h"
#include "Generators.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace tars2cpp {

namespace {

// The names the generated code adds inside the class. IDL parameters become
// locals of onDispatch() and parameters of the encoders under their own names,
// so every generated parameter or local is chosen to differ from all parameter
// names of the interface; member functions are called qualified (this->f(),
// Hello::_encodeResult_f()), so a local named like a method hides nothing.
struct ServantNames {
    std::string current;   // the tars::TarsCurrentPtr parameter
    std::string response;  // onDispatch's output buffer
    std::string version;
    std::string methods;  // the sorted table of method names
    std::string func;
    std::string found;
    std::string ret;
    std::string is;
    std::string os;
    std::string attr;
    std::string json;
    std::string data;
    std::string text;
    std::string buffer;
    std::string encoderPrefix;  // <prefix><method>: the private result encoders
    // The JSON protocol (iVersion 5) needs the structs' JSON methods, which
    // --unjson leaves out; without them JSON requests are an unsupported version.
    bool withJson = true;
};

ServantNames chooseNames(const InterfaceDecl& decl, const GenerateOptions& options) {
    std::set<std::string> taken;
    std::set<std::string> methodNames;
    for (const Operation& operation : decl.operations) {
        methodNames.insert(operation.name);
        for (const Parameter& parameter : operation.parameters) taken.insert(parameter.name);
    }

    ServantNames names;
    names.withJson = options.json;
    names.current = taken.count("current") == 0 ? "current" : unusedName("_current", taken);
    names.response = unusedName("_sResponseBuffer", taken);
    names.version = unusedName("_version", taken);
    names.methods = unusedName("_methods", taken);
    names.func = unusedName("_func", taken);
    names.found = unusedName("_found", taken);
    names.ret = unusedName("_ret", taken);
    names.is = unusedName("_is", taken);
    names.os = unusedName("_os", taken);
    names.attr = unusedName("_attr", taken);
    names.json = unusedName("_j", taken);
    names.data = unusedName("_data", taken);
    names.text = unusedName("_text", taken);
    names.buffer = unusedName("_buffer", taken);

    // Method names are IDL names too: the encoders must not take one.
    const auto clashes = [&](const std::string& prefix) {
        for (const std::string& method : methodNames)
            if (methodNames.count(prefix + method) != 0) return true;
        return false;
    };
    names.encoderPrefix = "_encodeResult_";
    for (int suffix = 1; clashes(names.encoderPrefix); ++suffix)
        names.encoderPrefix = "_encodeResult" + std::to_string(suffix) + "_";
    return names;
}

std::vector<const Parameter*> outParameters(const Operation& operation) {
    std::vector<const Parameter*> outs;
    for (const Parameter& parameter : operation.parameters)
        if (parameter.out) outs.push_back(&parameter);
    return outs;
}

std::string returnType(const Operation& operation) {
    return operation.returnType ? cppType(*operation.returnType) : "void";
}

std::string join(const std::vector<std::string>& parts) {
    std::string text;
    for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
    return text;
}

std::string quoted(const std::string& name) { return cppStringLiteral(name); }

std::string unsupportedVersion(const ServantNames& names) {
    return "throw tars::TarsDecodeException(\"unsupported request version \" + std::to_string(" + names.version + "));";
}

std::string isTup(const ServantNames& names) {
    return names.version + " == tars::TUPVERSION || " + names.version + " == tars::TUP_VERSION_COMPLEX";
}

// virtual tars::Int32 testHello(const std::string& sReq, std::string& sRsp, tars::TarsCurrentPtr current) = 0;
void generateMethod(const Operation& operation, const ServantNames& names, CodeWriter& out) {
    std::vector<std::string> parameters;
    for (const Parameter& parameter : operation.parameters) {
        const std::string type =
            parameter.out ? cppOutParameterType(parameter.type) : cppInParameterType(parameter.type);
        parameters.push_back(type + " " + parameter.name);
    }
    parameters.push_back("tars::TarsCurrentPtr " + names.current);
    out.line("virtual " + returnType(operation) + " " + operation.name + "(" + join(parameters) + ") = 0;");
}

// The parameters of a result: the return value, then each out parameter.
std::vector<std::string> resultParameters(const Operation& operation, const ServantNames& names) {
    std::vector<std::string> parameters;
    if (operation.returnType) parameters.push_back(cppInParameterType(*operation.returnType) + " " + names.ret);
    for (const Parameter* parameter : outParameters(operation))
        parameters.push_back(cppInParameterType(parameter->type) + " " + parameter->name);
    return parameters;
}

std::vector<std::string> resultArguments(const Operation& operation, const ServantNames& names) {
    std::vector<std::string> arguments;
    if (operation.returnType) arguments.push_back(names.ret);
    for (const Parameter* parameter : outParameters(operation)) arguments.push_back(parameter->name);
    return arguments;
}

std::string encoderName(const Operation& operation, const ServantNames& names) {
    return names.encoderPrefix + operation.name;
}

// The static function that answers later: encodes like onDispatch() would have.
void generateAsyncResponse(const InterfaceDecl& decl, const Operation& operation, const ServantNames& names,
                           CodeWriter& out) {
    std::vector<std::string> parameters = {"tars::TarsCurrentPtr " + names.current};
    for (const std::string& parameter : resultParameters(operation, names)) parameters.push_back(parameter);
    out.line("static void async_response_" + operation.name + "(" + join(parameters) + ")");
    out.open();
    out.line("std::vector<char> " + names.buffer + ";");
    std::vector<std::string> arguments = {names.current + "->getRequestVersion()"};
    for (const std::string& argument : resultArguments(operation, names)) arguments.push_back(argument);
    arguments.push_back(names.buffer);
    out.line(decl.name + "::" + encoderName(operation, names) + "(" + join(arguments) + ");");
    out.line(names.current + "->sendResponse(tars::TARSSERVERSUCCESS, " + names.buffer + ");");
    out.close();
}

// Decodes the parameters of `operation` into locals of their own names.
void generateDecode(const Operation& operation, const ServantNames& names, CodeWriter& out) {
    for (const Parameter& parameter : operation.parameters)
        out.line(cppLocalDeclaration(parameter.type, parameter.name));
    if (operation.parameters.empty()) return;

    // TARS: at tag = 1-based position; out parameters (which TARS clients send, usually empty) are optional.
    out.line("if (" + names.version + " == tars::TARSVERSION)");
    out.open();
    out.line("tars::TarsInputStream<tars::BufferReader> " + names.is + ";");
    out.line(names.is + ".setBuffer(" + names.current + "->getRequestBuffer());");
    for (std::size_t i = 0; i < operation.parameters.size(); ++i) {
        const Parameter& parameter = operation.parameters[i];
        out.line(names.is + ".read(" + parameter.name + ", " + std::to_string(i + 1) + ", " +
                 (parameter.out ? "false" : "true") + ");");
    }
    out.close();

    // TUP: by parameter name.
    out.line(names.withJson ? "else if (" + isTup(names) + ")" : "else");
    out.open();
    out.line("tars::TarsUniAttribute<> " + names.attr + ";");
    out.line(names.attr + ".setVersion(" + names.version + ");");
    out.line(names.attr + ".decode(" + names.current + "->getRequestBuffer());");
    for (const Parameter& parameter : operation.parameters) {
        if (parameter.out)
            out.line(names.attr + ".getByDefault(" + quoted(parameter.name) + ", " + parameter.name + ", " +
                     parameter.name + ");");
        else
            out.line(names.attr + ".get(" + quoted(parameter.name) + ", " + parameter.name + ");");
    }
    out.close();
    if (!names.withJson) return;

    // JSON (the only version left): an object keyed by parameter name.
    out.line("else");
    out.open();
    out.line("const std::vector<char>& " + names.data + " = " + names.current + "->getRequestBuffer();");
    out.line("const tars::JsonValue " + names.json + " = tars::JsonInput::parse(std::string(" + names.data +
             ".begin(), " + names.data + ".end()));");
    for (const Parameter& parameter : operation.parameters)
        out.line("tars::JsonInput::readField(" + parameter.name + ", " + names.json + ", " + quoted(parameter.name) +
                 ", " + (parameter.out ? "false" : "true") + ");");
    out.close();
}

void generateDispatchCase(const InterfaceDecl& decl, const Operation& operation, const ServantNames& names,
                          CodeWriter& out) {
    out.open();
    generateDecode(operation, names, out);

    std::vector<std::string> arguments;
    for (const Parameter& parameter : operation.parameters) arguments.push_back(parameter.name);
    arguments.push_back(names.current);
    const std::string call = "this->" + operation.name + "(" + join(arguments) + ");";
    out.line(operation.returnType ? cppType(*operation.returnType) + " " + names.ret + " = " + call : call);

    std::vector<std::string> encodeArguments = {names.version};
    for (const std::string& argument : resultArguments(operation, names)) encodeArguments.push_back(argument);
    encodeArguments.push_back(names.response);
    out.line("if (" + names.current + "->isResponse())");
    out.indent();
    out.line(decl.name + "::" + encoderName(operation, names) + "(" + join(encodeArguments) + ");");
    out.dedent();
    out.line("return tars::TARSSERVERSUCCESS;");
    out.close();
}

void generateOnDispatch(const InterfaceDecl& decl, const ServantNames& names, CodeWriter& out) {
    if (decl.operations.empty()) {
        out.line("int onDispatch(tars::TarsCurrentPtr, std::vector<char>&) override");
        out.open();
        out.line("return tars::TARSSERVERNOFUNCERR;");
        out.close();
        return;
    }

    std::vector<const Operation*> sorted;
    for (const Operation& operation : decl.operations) sorted.push_back(&operation);
    std::sort(sorted.begin(), sorted.end(), [](const Operation* a, const Operation* b) { return a->name < b->name; });

    out.line("int onDispatch(tars::TarsCurrentPtr " + names.current + ", std::vector<char>& " + names.response +
             ") override");
    out.open();
    out.line("// Sorted: found by binary search.");
    out.line("static constexpr std::string_view " + names.methods + "[] = {");
    out.indent();
    for (const Operation* operation : sorted) out.line(quoted(operation->name) + ",");
    out.dedent();
    out.line("};");
    out.line("const std::string_view " + names.func + " = " + names.current + "->getFuncName();");
    out.line("const auto " + names.found + " = std::lower_bound(std::begin(" + names.methods + "), std::end(" +
             names.methods + "), " + names.func + ");");
    out.line("if (" + names.found + " == std::end(" + names.methods + ") || *" + names.found + " != " + names.func +
             ")");
    out.indent();
    out.line("return tars::TARSSERVERNOFUNCERR;");
    out.dedent();
    out.line("const short " + names.version + " = " + names.current + "->getRequestVersion();");
    out.line("if (" + names.version + " != tars::TARSVERSION && " + names.version + " != tars::TUPVERSION && " +
             names.version + " != tars::TUP_VERSION_COMPLEX" +
             (names.withJson ? " && " + names.version + " != tars::JSONVERSION)" : ")"));
    out.indent();
    out.line(unsupportedVersion(names));
    out.dedent();
    out.line("switch (" + names.found + " - std::begin(" + names.methods + "))");
    out.line("{");
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        out.line("case " + std::to_string(i) + ": // " + sorted[i]->name);
        generateDispatchCase(decl, *sorted[i], names, out);
    }
    out.line("default:");
    out.indent();
    out.line("break;");
    out.dedent();
    out.line("}");
    out.line("return tars::TARSSERVERNOFUNCERR;");
    out.close();
}

// The JSON branch of an encoder: {"tars_ret": ..., "<out>": ...}.
void generateJsonEncoding(const Operation& operation, const ServantNames& names, CodeWriter& out) {
    out.line("else if (" + names.version + " == tars::JSONVERSION)");
    out.open();
    out.line("tars::JsonValue " + names.json + " = tars::JsonValue::object();");
    if (operation.returnType) out.line(names.json + "[\"tars_ret\"] = tars::JsonOutput::writeJson(" + names.ret + ");");
    for (const Parameter* parameter : outParameters(operation))
        out.line(names.json + "[" + quoted(parameter->name) + "] = tars::JsonOutput::writeJson(" + parameter->name +
                 ");");
    out.line("const std::string " + names.text + " = tars::JsonOutput::toString(" + names.json + ");");
    out.line(names.buffer + ".assign(" + names.text + ".begin(), " + names.text + ".end());");
    out.close();
}

// Encodes the result of `operation` (return value at tag 0 / "" and "tars_ret",
// out parameters at their position / by name) in `version` into the buffer.
void generateEncoder(const Operation& operation, const ServantNames& names, CodeWriter& out) {
    std::vector<std::string> parameters = {"short " + names.version};
    for (const std::string& parameter : resultParameters(operation, names)) parameters.push_back(parameter);
    parameters.push_back("std::vector<char>& " + names.buffer);
    out.line("static void " + encoderName(operation, names) + "(" + join(parameters) + ")");
    out.open();

    out.line("if (" + names.version + " == tars::TARSVERSION)");
    out.open();
    const bool empty = !operation.returnType && outParameters(operation).empty();
    if (empty) {
        out.line(names.buffer + ".clear();");
    } else {
        // The stream writes into the caller's buffer (swapped in and out), so that a buffer
        // kept from one request to the next is reused instead of grown from empty.
        out.line("tars::TarsOutputStream<tars::BufferWriterVector> " + names.os + ";");
        out.line(names.buffer + ".clear();");
        out.line(names.os + ".swap(" + names.buffer + ");");
        if (operation.returnType) out.line(names.os + ".write(" + names.ret + ", 0);");
        for (std::size_t i = 0; i < operation.parameters.size(); ++i)
            if (operation.parameters[i].out)
                out.line(names.os + ".write(" + operation.parameters[i].name + ", " + std::to_string(i + 1) + ");");
        out.line(names.os + ".swap(" + names.buffer + ");");
    }
    out.close();

    out.line("else if (" + isTup(names) + ")");
    out.open();
    out.line("tars::TarsUniAttribute<> " + names.attr + ";");
    out.line(names.attr + ".setVersion(" + names.version + ");");
    if (operation.returnType) {
        out.line(names.attr + ".put(\"\", " + names.ret + ");");
        out.line(names.attr + ".put(\"tars_ret\", " + names.ret + ");");
    }
    for (const Parameter* parameter : outParameters(operation))
        out.line(names.attr + ".put(" + quoted(parameter->name) + ", " + parameter->name + ");");
    out.line(names.attr + ".encode(" + names.buffer + ");");
    out.close();

    if (names.withJson) generateJsonEncoding(operation, names, out);

    out.line("else");
    out.open();
    out.line(unsupportedVersion(names));
    out.close();
    out.close();
}

}  // namespace

void generateServant(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out) {
    const ServantNames names = chooseNames(decl, options);

    out.line("// The servant of " + decl.module + "." + decl.name +
             ": derive from it, implement the methods and register the class with");
    out.line("// Application::addServant<T>(). A method that calls " + names.current +
             "->setResponse(false) answers later with");
    out.line("// async_response_<method>(), from any thread.");
    out.line("class " + decl.name + " : public tars::Servant");
    out.open();
    out.dedent();
    out.line("public:");
    out.indent();
    out.line("~" + decl.name + "() override = default;");
    out.line();
    for (const Operation& operation : decl.operations) generateMethod(operation, names, out);
    if (!decl.operations.empty()) out.line();
    for (const Operation& operation : decl.operations) {
        generateAsyncResponse(decl, operation, names, out);
        out.line();
    }
    generateOnDispatch(decl, names, out);
    if (!decl.operations.empty()) {
        out.line();
        out.dedent();
        out.line("private:");
        out.indent();
        for (std::size_t i = 0; i < decl.operations.size(); ++i) {
            if (i > 0) out.line();
            generateEncoder(decl.operations[i], names, out);
        }
    }
    out.close(";");
}

}  // namespace tars2cpp
