// PatchImp: the servant tars.tarspatch.PatchObj (interface Patch, protocol/Patch.tars).
// One instance per handle thread, all sharing one PatchService. Refusals are logged with
// the caller's address; uploadChunk and downloadChunk also answer why.
#pragma once

#include <memory>

#include "Patch.h"
#include "PatchService.h"

namespace tars {

class PatchImp : public Patch {
public:
    explicit PatchImp(std::shared_ptr<PatchService> service) : _service(std::move(service)) {}

    Int32 listFileInfo(const std::string& path, std::vector<FileInfo>& vf, CurrentPtr current) override;
    Int32 download(const std::string& file, Int32 pos, std::vector<Char>& vb, CurrentPtr current) override;
    Int32 preparePatchFile(const std::string& app, const std::string& serverName, const std::string& patchFile,
                           std::string& result, CurrentPtr current) override;
    Int32 deletePatchFile(const std::string& app, const std::string& serverName, const std::string& patchFile,
                          CurrentPtr current) override;
    Int32 upload(const std::string& app, const std::string& serverName, const FileContent& content,
                 CurrentPtr current) override;
    Int32 uploadChunk(const std::string& app, const std::string& serverName, const FileContent& content,
                      std::string& result, CurrentPtr current) override;
    Int32 downloadChunk(const std::string& file, Int64 offset, Int32 length, std::vector<Char>& vb, std::string& result,
                        CurrentPtr current) override;

private:
    std::shared_ptr<PatchService> _service;
};

}  // namespace tars
