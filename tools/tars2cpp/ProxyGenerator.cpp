// The client side of an interface. For `interface Hello` it writes
//
//   HelloPrxCallback         derive and override callback_<m>() and
//                            callback_<m>_exception() for async_<m>() calls;
//   HelloPrxCallbackPromise  per method, the result struct Promise<m> and the
//                            callback that completes a tars::Promise with it;
//   HelloProxy / HelloPrx    the proxy: <m>() (sync), async_<m>() (callback, or
//                            one-way with a null callback), promise_async_<m>()
//                            and co_<m>() (a tars::Future, awaitable).
//
// docs/design/client.md ("What tars2cpp generates for a proxy") is the rule
// book. The version rules (TARS tags, TUP names, JSON members) live in the
// runtime's ArgsEncoder/ArgsDecoder, so this code never branches on iVersion.
#include "CppNames.h"
#include "Generators.h"

#include <set>
#include <string>
#include <vector>

namespace tars2cpp {

namespace {

// Generated parameters and locals, each chosen to differ from every parameter
// name of the interface (IDL names keep their spelling in the signatures).
struct ProxyNames {
    std::string context;          // the request context parameter
    std::string responseContext;  // the sync call's response context parameter
    std::string callback;         // async_<m>'s callback parameter
    std::string msg;              // onDispatch's parameter
    std::string ret;              // the callback's return value parameter
    std::string retLocal;         // the decoded return value; also the Promise<m> member
    std::string rspContext;       // the Promise<m> member holding the response context
    std::string enc;
    std::string dec;
    std::string rsp;
    std::string promise;
    std::string ptr;
    std::string error;
    // "<false>" after put/get/getReturn without JSON support (--unjson): the
    // structs have no JSON functions, so the JSON version is refused at run time.
    std::string codecArgs;
};

ProxyNames chooseNames(const InterfaceDecl& decl, const GenerateOptions& options) {
    std::set<std::string> taken;
    for (const Operation& operation : decl.operations)
        for (const Parameter& parameter : operation.parameters) taken.insert(parameter.name);

    ProxyNames names;
    names.context = unusedName("context", taken);
    names.responseContext = unusedName("pResponseContext", taken);
    names.callback = unusedName("callback", taken);
    names.msg = unusedName("msg", taken);
    names.ret = unusedName("ret", taken);
    names.retLocal = unusedName("_ret", taken);
    names.rspContext = unusedName("_mRspContext", taken);
    names.enc = unusedName("_enc", taken);
    names.dec = unusedName("_dec", taken);
    names.rsp = unusedName("_rsp", taken);
    names.promise = unusedName("_promise", taken);
    names.ptr = unusedName("_ptr", taken);
    names.error = unusedName("_e", taken);
    names.codecArgs = options.json ? "" : "<false>";
    return names;
}

const std::string kContextType = "const std::map<std::string, std::string>&";

std::string join(const std::vector<std::string>& parts) {
    std::string text;
    for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
    return text;
}

std::string returnType(const Operation& operation) {
    return operation.returnType ? cppType(*operation.returnType) : "void";
}

std::string tagOf(std::size_t index) { return std::to_string(index + 1); }

// `IDL name`: a string literal usable as const char*.
std::string quoted(const std::string& name) { return cppStringLiteral(name); }

struct ProxyTypes {
    std::string callback;     // HelloPrxCallback
    std::string callbackPtr;  // HelloPrxCallbackPtr
    std::string promises;     // HelloPrxCallbackPromise
    std::string proxy;        // HelloProxy
    std::string prx;          // HelloPrx
};

ProxyTypes typesOf(const InterfaceDecl& decl) {
    return {decl.name + "PrxCallback", decl.name + "PrxCallbackPtr", decl.name + "PrxCallbackPromise",
            decl.name + "Proxy", decl.name + "Prx"};
}

// The input parameters as a signature (const std::string& sReq, ...).
std::vector<std::string> inputParameters(const Operation& operation) {
    std::vector<std::string> parameters;
    for (const Parameter& parameter : operation.parameters)
        if (!parameter.out) parameters.push_back(cppInParameterType(parameter.type) + " " + parameter.name);
    return parameters;
}

std::vector<std::string> inputArguments(const Operation& operation) {
    std::vector<std::string> arguments;
    for (const Parameter& parameter : operation.parameters)
        if (!parameter.out) arguments.push_back(parameter.name);
    return arguments;
}

// A return value or an out parameter: something to decode from the response.
bool hasResults(const Operation& operation) {
    if (operation.returnType) return true;
    for (const Parameter& parameter : operation.parameters)
        if (parameter.out) return true;
    return false;
}

// `_enc.put(tag, "name", name);` for the inputs, or for every parameter.
void generateEncode(const Operation& operation, bool withOuts, const ProxyNames& names, CodeWriter& out) {
    out.line("tars::ArgsEncoder " + names.enc + "(tars_version());");
    for (std::size_t i = 0; i < operation.parameters.size(); ++i) {
        const Parameter& parameter = operation.parameters[i];
        if (parameter.out && !withOuts) continue;
        out.line(names.enc + ".put" + names.codecArgs + "(" + tagOf(i) + ", " + quoted(parameter.name) + ", " +
                 parameter.name + ");");
    }
    // The `routekey` parameter goes along as status STATUS_GRID_KEY (the key tars.setdyeing matches).
    for (const Parameter& parameter : operation.parameters) {
        if (parameter.routeKey)
            out.line("tars_route_key(tars::ServantProxy::tars_route_key_text(" + parameter.name + "));");
    }
}

// `_dec.getReturn(ret); _dec.get(tag, "name", prefix name);` for the result.
void generateDecode(const Operation& operation, const std::string& prefix, const ProxyNames& names, CodeWriter& out) {
    if (operation.returnType)
        out.line(names.dec + ".getReturn" + names.codecArgs + "(" + prefix + names.retLocal + ");");
    for (std::size_t i = 0; i < operation.parameters.size(); ++i) {
        const Parameter& parameter = operation.parameters[i];
        if (parameter.out)
            out.line(names.dec + ".get" + names.codecArgs + "(" + tagOf(i) + ", " + quoted(parameter.name) + ", " +
                     prefix + parameter.name + ");");
    }
}

// ---- HelloPrxCallback

void generateCallbackMethods(const Operation& operation, const ProxyNames& names, CodeWriter& out) {
    std::vector<std::string> parameters;
    std::vector<std::string> unused;
    if (operation.returnType) {
        parameters.push_back(cppInParameterType(*operation.returnType) + " " + names.ret);
        unused.push_back(names.ret);
    }
    for (const Parameter& parameter : operation.parameters) {
        if (!parameter.out) continue;
        parameters.push_back(cppInParameterType(parameter.type) + " " + parameter.name);
        unused.push_back(parameter.name);
    }

    out.line("virtual void callback_" + operation.name + "(" + join(parameters) + ")");
    out.open();
    for (const std::string& name : unused) out.line("(void)" + name + ";");
    out.line("throw std::runtime_error(" + quoted("callback_" + operation.name + "() is not overridden") + ");");
    out.close();
    out.line("virtual void callback_" + operation.name + "_exception(tars::Int32 " + names.ret + ")");
    out.open();
    out.line("throw std::runtime_error(" + quoted("callback_" + operation.name + "_exception(") + " + std::to_string(" +
             names.ret + ") + " + quoted(") is not overridden") + ");");
    out.close();
}

void generateCallbackDispatchCase(const Operation& operation, const ProxyNames& names, CodeWriter& out) {
    out.line("if (" + names.msg + "->request.sFuncName == " + quoted(operation.name) + ")");
    out.open();
    out.line("if (" + names.msg + "->response.iRet != tars::TARSSERVERSUCCESS)");
    out.open();
    out.line("callback_" + operation.name + "_exception(" + names.msg + "->response.iRet);");
    out.line("return " + names.msg + "->response.iRet;");
    out.close();

    std::vector<std::string> results;
    if (operation.returnType) {
        out.line(cppLocalDeclaration(*operation.returnType, names.retLocal));
        results.push_back(names.retLocal);
    }
    for (const Parameter& parameter : operation.parameters) {
        if (!parameter.out) continue;
        out.line(cppLocalDeclaration(parameter.type, parameter.name));
        results.push_back(parameter.name);
    }
    if (hasResults(operation)) {
        out.line("try");
        out.open();
        out.line("tars::ArgsDecoder " + names.dec + "(" + names.msg + "->response);");
        generateDecode(operation, "", names, out);
        out.close();
        out.line("catch (const tars::TarsCallException& " + names.error + ")");
        out.open();
        out.line("callback_" + operation.name + "_exception(" + names.error + ".getErrCode());");
        out.line("return " + names.error + ".getErrCode();");
        out.close();
    }
    out.line("callback_" + operation.name + "(" + join(results) + ");");
    out.line("return tars::TARSSERVERSUCCESS;");
    out.close();
}

void generateCallbackClass(const InterfaceDecl& decl, const ProxyTypes& types, const ProxyNames& names,
                           CodeWriter& out) {
    out.line("// Callbacks of " + decl.module + "." + decl.name + "'s async_<method>() calls: derive, override");
    out.line("// callback_<method>() and callback_<method>_exception(); they run on a callback thread.");
    out.line("class " + types.callback + " : public tars::ServantProxyCallback");
    out.open();
    out.dedent();
    out.line("public:");
    out.indent();
    out.line("~" + types.callback + "() override = default;");
    for (const Operation& operation : decl.operations) {
        out.line();
        generateCallbackMethods(operation, names, out);
    }
    out.line();
    out.line("int onDispatch(tars::ReqMessagePtr " + (decl.operations.empty() ? "" : names.msg) + ") override");
    out.open();
    for (const Operation& operation : decl.operations) generateCallbackDispatchCase(operation, names, out);
    out.line("return tars::TARSSERVERNOFUNCERR;");
    out.close();
    out.close(";");
    out.line("using " + types.callbackPtr + " = std::shared_ptr<" + types.callback + ">;");
}

// ---- HelloPrxCallbackPromise

void generatePromiseTypes(const Operation& operation, const ProxyNames& names, CodeWriter& out) {
    const std::string result = "Promise" + operation.name;
    const std::string resultPtr = result + "Ptr";
    const std::string callback = operation.name + "Callback";

    out.line("struct " + result);
    out.open();
    if (operation.returnType) out.line(cppLocalDeclaration(*operation.returnType, names.retLocal));
    for (const Parameter& parameter : operation.parameters)
        if (parameter.out) out.line(cppLocalDeclaration(parameter.type, parameter.name));
    out.line("std::map<std::string, std::string> " + names.rspContext + ";");
    out.close(";");
    out.line("using " + resultPtr + " = std::shared_ptr<" + result + ">;");
    out.line();

    out.line("class " + callback + " : public tars::ServantProxyCallback");
    out.open();
    out.dedent();
    out.line("public:");
    out.indent();
    out.line("explicit " + callback + "(const tars::Promise<" + resultPtr + ">& promise) : " + names.promise +
             "(promise) {}");
    out.line();
    out.line("int onDispatch(tars::ReqMessagePtr " + names.msg + ") override");
    out.open();
    out.line("if (" + names.msg + "->response.iRet != tars::TARSSERVERSUCCESS)");
    out.open();
    out.line(names.promise + ".setException(tars::makeCallException(" + names.msg + "->response.iRet, " +
             quoted(operation.name) + ", " + names.msg + "->response.sResultDesc));");
    out.line("return " + names.msg + "->response.iRet;");
    out.close();
    out.line("auto " + names.ptr + " = std::make_shared<" + result + ">();");
    if (hasResults(operation)) {
        out.line("try");
        out.open();
        out.line("tars::ArgsDecoder " + names.dec + "(" + names.msg + "->response);");
        generateDecode(operation, names.ptr + "->", names, out);
        out.close();
        out.line("catch (...)");
        out.open();
        out.line(names.promise + ".setException(std::current_exception());");
        out.line("return tars::TARSCLIENTDECODEERR;");
        out.close();
    }
    out.line(names.ptr + "->" + names.rspContext + " = " + names.msg + "->response.context;");
    out.line(names.promise + ".setValue(std::move(" + names.ptr + "));");
    out.line("return tars::TARSSERVERSUCCESS;");
    out.close();
    out.line();
    out.dedent();
    out.line("private:");
    out.indent();
    out.line("tars::Promise<" + resultPtr + "> " + names.promise + ";");
    out.close(";");
}

void generatePromiseStruct(const InterfaceDecl& decl, const ProxyTypes& types, const ProxyNames& names,
                           CodeWriter& out) {
    out.line("// Per method of " + decl.module + "." + decl.name +
             ": the result of promise_async_<method>() and co_<method>()");
    out.line("// (Promise<method>: the return value, the out parameters, the response context) and the");
    out.line("// callback that completes the promise.");
    out.line("struct " + types.promises);
    out.open();
    for (std::size_t i = 0; i < decl.operations.size(); ++i) {
        if (i > 0) out.line();
        generatePromiseTypes(decl.operations[i], names, out);
    }
    out.close(";");
}

// ---- HelloProxy

void generateSyncCall(const Operation& operation, const ProxyNames& names, CodeWriter& out) {
    std::vector<std::string> parameters;
    for (const Parameter& parameter : operation.parameters)
        parameters.push_back(
            (parameter.out ? cppOutParameterType(parameter.type) : cppInParameterType(parameter.type)) + " " +
            parameter.name);
    parameters.push_back(kContextType + " " + names.context + " = TARS_CONTEXT()");
    parameters.push_back("std::map<std::string, std::string>* " + names.responseContext + " = nullptr");

    out.line(returnType(operation) + " " + operation.name + "(" + join(parameters) + ")");
    out.open();
    // Out parameters go out too: TARS servers read them as optional inputs.
    generateEncode(operation, true, names, out);
    out.line("tars::ResponsePacket " + names.rsp + ";");
    out.line("tars_invoke(tars::TARSNORMAL, " + quoted(operation.name) + ", " + names.enc + ".take(), " +
             names.context + ", " + names.rsp + ");");
    if (hasResults(operation)) {
        out.line("tars::ArgsDecoder " + names.dec + "(" + names.rsp + ");");
        if (operation.returnType) out.line(cppLocalDeclaration(*operation.returnType, names.retLocal));
        generateDecode(operation, "", names, out);
    }
    out.line("if (" + names.responseContext + ")");
    out.indent();
    out.line(names.responseContext + "->swap(" + names.rsp + ".context);");
    out.dedent();
    if (operation.returnType) out.line("return " + names.retLocal + ";");
    out.close();
}

void generateAsyncCall(const Operation& operation, const ProxyTypes& types, const ProxyNames& names, CodeWriter& out) {
    std::vector<std::string> parameters = {types.callbackPtr + " " + names.callback};
    for (const std::string& parameter : inputParameters(operation)) parameters.push_back(parameter);
    parameters.push_back(kContextType + " " + names.context + " = TARS_CONTEXT()");

    out.line("void async_" + operation.name + "(" + join(parameters) + ")");
    out.open();
    generateEncode(operation, false, names, out);
    // Always TARSNORMAL: the runtime makes a call without a callback one-way.
    out.line("tars_invoke_async(tars::TARSNORMAL, " + quoted(operation.name) + ", " + names.enc + ".take(), " +
             names.context + ", std::move(" + names.callback + "));");
    out.close();
}

void generatePromiseCall(const Operation& operation, const ProxyTypes& types, const ProxyNames& names,
                         CodeWriter& out) {
    const std::string resultPtr = types.promises + "::Promise" + operation.name + "Ptr";
    std::vector<std::string> parameters = inputParameters(operation);
    parameters.push_back(kContextType + " " + names.context + " = TARS_CONTEXT()");

    out.line("tars::Future<" + resultPtr + "> promise_async_" + operation.name + "(" + join(parameters) + ")");
    out.open();
    out.line("tars::Promise<" + resultPtr + "> " + names.promise + ";");
    generateEncode(operation, false, names, out);
    out.line("tars_invoke_async(tars::TARSNORMAL, " + quoted(operation.name) + ", " + names.enc + ".take(), " +
             names.context + ",");
    out.indent();
    out.line("std::make_shared<" + types.promises + "::" + operation.name + "Callback>(" + names.promise + "));");
    out.dedent();
    out.line("return " + names.promise + ".getFuture();");
    out.close();

    // The coroutine form is the same call: tars::Future is awaitable and resumes
    // the coroutine on the callback thread that completes it.
    std::vector<std::string> arguments = inputArguments(operation);
    arguments.push_back(names.context);
    out.line("tars::Future<" + resultPtr + "> co_" + operation.name + "(" + join(parameters) + ")");
    out.open();
    out.line("return promise_async_" + operation.name + "(" + join(arguments) + ");");
    out.close();
}

void generateProxyClass(const InterfaceDecl& decl, const ProxyTypes& types, const ProxyNames& names, CodeWriter& out) {
    out.line("// The proxy of " + decl.module + "." + decl.name + ": get one from Communicator::stringToProxy<" +
             types.prx + ">(). Thread-safe:");
    out.line("// one proxy serves any number of calling threads. A failed sync call throws");
    out.line("// tars::TarsCallException (getErrCode() is the TARS return code); async calls report");
    out.line("// failures to the callback or the future.");
    out.line("class " + types.proxy + " : public tars::ServantProxy");
    out.open();
    out.dedent();
    out.line("public:");
    out.indent();
    for (const Operation& operation : decl.operations) {
        generateSyncCall(operation, names, out);
        out.line();
        generateAsyncCall(operation, types, names, out);
        out.line();
        generatePromiseCall(operation, types, names, out);
        out.line();
    }
    // The per-call settings return the proxy's own type, so calls chain:
    // prx->tars_hash(uid)->getUser(uid, user).
    struct Setting {
        const char* function;
        const char* parameter;
    };
    for (const Setting& setting : {Setting{"tars_hash", "int64_t key"}, Setting{"tars_consistent_hash", "int64_t key"},
                                   Setting{"tars_set_timeout", "int ms"}}) {
        const std::string parameter = setting.parameter;
        const std::string argument = parameter.substr(parameter.find(' ') + 1);
        out.line(types.proxy + "* " + setting.function + "(" + parameter + ")");
        out.open();
        out.line("return static_cast<" + types.proxy + "*>(tars::ServantProxy::" + setting.function + "(" + argument +
                 "));");
        out.close();
    }
    out.line("static const char* tars_prxname() { return " + quoted(types.proxy) + "; }");
    out.close(";");
    out.line("using " + types.prx + " = std::shared_ptr<" + types.proxy + ">;");
}

}  // namespace

void generateProxy(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out) {
    const ProxyNames names = chooseNames(decl, options);
    const ProxyTypes types = typesOf(decl);
    generateCallbackClass(decl, types, names, out);
    out.line();
    generatePromiseStruct(decl, types, names, out);
    out.line();
    generateProxyClass(decl, types, names, out);
}

}  // namespace tars2cpp
