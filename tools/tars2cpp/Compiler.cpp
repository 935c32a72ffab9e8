#include "Compiler.h"

#include <map>

namespace tars2cpp {

CompileResult compile(const SourceLoader& loader, const std::vector<std::string>& inputs,
                      const CompileOptions& compileOptions, const GenerateOptions& generateOptions) {
    Program program(loader, compileOptions);
    std::vector<const File*> files;
    std::map<std::string, const File*> outputs;  // header name -> the file that makes it
    for (const std::string& input : inputs) {
        const File* file = program.parseInput(input);
        if (file == nullptr) continue;
        const std::string header = fileBaseName(file->path) + ".h";
        const auto [existing, inserted] = outputs.emplace(header, file);
        if (inserted)
            files.push_back(file);
        else if (existing->second != file)
            program.diagnostics().error("'" + existing->second->path + "' and '" + file->path +
                                        "' would both generate " + header);
    }

    CompileResult result;
    if (program.diagnostics().hasErrors()) {
        result.errors = program.diagnostics().text();
        return result;
    }
    for (const File* file : files)
        result.headers.emplace_back(fileBaseName(file->path) + ".h", generateHeader(*file, generateOptions));
    return result;
}

}  // namespace tars2cpp
