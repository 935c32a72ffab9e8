#include "Tool.h"

#include "Compiler.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#ifndef TARS2CPP_VERSION
#define TARS2CPP_VERSION "unknown"
#endif

namespace tars2cpp {

namespace {

namespace fs = std::filesystem;

const char kUsage[] =
    "Usage: tars2cpp [options] file.tars...\n"
    "\n"
    "Compiles each .tars file into the C++ header <basename>.h.\n"
    "\n"
    "Options:\n"
    "  --dir=DIR             write the headers to DIR (created if missing; default: .)\n"
    "  -I DIR, -IDIR, --include=DIR\n"
    "                        also look for #include files in DIR (repeatable;\n"
    "                        --include takes a ';'-separated list)\n"
    "  --with-tars           allow the module name 'tars' (the framework's own files)\n"
    "  --unjson              do not generate the JSON methods of structs\n"
    "  --check-default=BOOL  true (default): optional fields equal to their default\n"
    "                        are not encoded; false: always encode them\n"
    "  --help                show this help and exit\n"
    "  --version             show the version and exit\n"
    "\n"
    "Accepted for compatibility with TarsCpp build scripts, without effect:\n"
    "  --os --unknown --tarsMaster --currentPriority --without-trace --json --sql --xml\n"
    "  --coder=... --header=... --base-package=...\n"
    "\n"
    "Exit status: 0 success, 1 errors in the input (nothing written), 2 bad command line.\n";

struct Options {
    std::string outputDir = ".";
    std::vector<std::string> includeDirs;
    std::vector<std::string> inputs;
    CompileOptions compile;
    GenerateOptions generate;
};

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

void addIncludeList(const std::string& list, std::vector<std::string>& dirs) {
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t end = std::min(list.find(';', start), list.size());
        if (end > start) dirs.push_back(list.substr(start, end - start));
        start = end + 1;
    }
}

// Writes `content` to `path` through a temporary file, so a reader never sees half a header.
bool writeFile(const fs::path& path, const std::string& content, std::string& error) {
    const fs::path temporary = path.string() + ".tmp";
    {
        std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
        if (!stream) {
            error = "cannot create '" + temporary.string() + "'";
            return false;
        }
        stream.write(content.data(), static_cast<std::streamsize>(content.size()));
        stream.close();
        if (!stream) {
            error = "cannot write '" + temporary.string() + "'";
            return false;
        }
    }
    std::error_code code;
    fs::rename(temporary, path, code);
    if (code) {
        error = "cannot rename '" + temporary.string() + "' to '" + path.string() + "': " + code.message();
        fs::remove(temporary, code);
        return false;
    }
    return true;
}

}  // namespace

int runTool(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Options options;
    const auto usageError = [&](const std::string& message) {
        err << "tars2cpp: error: " << message << " (see tars2cpp --help)\n";
        return kExitUsageError;
    };

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        // The value of "--name=value", "--name value", "-Xvalue" or "-X value".
        const auto valueOf = [&](const char* name, std::string& value) {
            const std::string prefix = name;
            if (arg == prefix) {
                if (i + 1 >= args.size()) return false;
                value = args[++i];
                return true;
            }
            const std::string joined = startsWith(prefix, "--") ? prefix + "=" : prefix;
            if (!startsWith(arg, joined.c_str())) return false;
            value = arg.substr(joined.size());
            return true;
        };

        std::string value;
        if (arg == "--help" || arg == "-h") {
            out << kUsage;
            return kExitSuccess;
        }
        if (arg == "--version") {
            out << "tars2cpp " TARS2CPP_VERSION "\n";
            return kExitSuccess;
        }
        if (arg == "--with-tars")
            options.compile.withTars = true;
        else if (arg == "--unjson")
            options.generate.json = false;
        else if (startsWith(arg, "--check-default")) {
            if (arg == "--check-default=true" || arg == "--check-default")
                options.generate.checkDefault = true;
            else if (arg == "--check-default=false")
                options.generate.checkDefault = false;
            else
                return usageError("--check-default takes true or false");
        } else if (arg == "--os" || arg == "--unknown" || arg == "--tarsMaster" || arg == "--currentPriority" ||
                   arg == "--without-trace" || arg == "--json" || arg == "--sql" || arg == "--xml" ||
                   startsWith(arg, "--coder=") || startsWith(arg, "--header=") || startsWith(arg, "--base-package=")) {
            // Accepted so TarsCpp build scripts run unchanged; no effect here.
        } else if (arg == "--dir" || startsWith(arg, "--dir=")) {
            if (!valueOf("--dir", value) || value.empty()) return usageError("--dir needs a directory");
            options.outputDir = value;
        } else if (arg == "--include" || startsWith(arg, "--include=")) {
            if (!valueOf("--include", value) || value.empty()) return usageError("--include needs a directory");
            addIncludeList(value, options.includeDirs);
        } else if (startsWith(arg, "-I")) {
            if (!valueOf("-I", value) || value.empty()) return usageError("-I needs a directory");
            options.includeDirs.push_back(value);
        } else if (startsWith(arg, "-") && arg != "-") {
            return usageError("unknown option '" + arg + "'");
        } else {
            options.inputs.push_back(arg);
        }
    }
    if (options.inputs.empty()) return usageError("no input file");

    const FileSystemLoader loader(options.includeDirs);
    const CompileResult result = compile(loader, options.inputs, options.compile, options.generate);
    if (!result.ok()) {
        err << result.errors;
        return kExitCompileError;
    }

    std::error_code code;
    fs::create_directories(options.outputDir, code);
    if (code) {
        err << "tars2cpp: error: cannot create directory '" << options.outputDir << "': " << code.message() << '\n';
        return kExitCompileError;
    }
    for (const auto& [name, content] : result.headers) {
        std::string error;
        if (!writeFile(fs::path(options.outputDir) / name, content, error)) {
            err << "tars2cpp: error: " << error << '\n';
            return kExitCompileError;
        }
    }
    return kExitSuccess;
}

}  // namespace tars2cpp
