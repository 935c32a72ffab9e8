#include "PatchImp.h"

#include "util/tc_logger.h"

namespace tars {

namespace {

int logged(int code, const std::string& what, const std::string& why, const Current& current) {
    if (code < 0) TLOGERROR("patch: refused " << what << " from " << current.getIp() << ": " << why << std::endl);
    return code;
}

}  // namespace

Int32 PatchImp::listFileInfo(const std::string& path, std::vector<FileInfo>& vf, CurrentPtr current) {
    std::string why;
    return logged(_service->list(path, vf, why), "listFileInfo", why, *current);
}

Int32 PatchImp::download(const std::string& file, Int32 pos, std::vector<Char>& vb, CurrentPtr current) {
    std::string why;
    return logged(_service->read(file, pos, static_cast<int64_t>(_service->chunkBytes()), vb, why), "download", why,
                  *current);
}

Int32 PatchImp::downloadChunk(const std::string& file, Int64 offset, Int32 length, std::vector<Char>& vb,
                              std::string& result, CurrentPtr current) {
    return logged(_service->read(file, offset, length, vb, result), "downloadChunk", result, *current);
}

Int32 PatchImp::preparePatchFile(const std::string& app, const std::string& serverName, const std::string& patchFile,
                                 std::string& result, CurrentPtr current) {
    return logged(_service->prepare(app, serverName, patchFile, result), "preparePatchFile", result, *current);
}

Int32 PatchImp::deletePatchFile(const std::string& app, const std::string& serverName, const std::string& patchFile,
                                CurrentPtr current) {
    std::string why;
    return logged(_service->remove(app, serverName, patchFile, why), "deletePatchFile", why, *current);
}

Int32 PatchImp::upload(const std::string& app, const std::string& serverName, const FileContent& content,
                       CurrentPtr current) {
    std::string why;
    return logged(_service->upload(app, serverName, content, why), "an upload", why, *current);
}

Int32 PatchImp::uploadChunk(const std::string& app, const std::string& serverName, const FileContent& content,
                            std::string& result, CurrentPtr current) {
    return logged(_service->upload(app, serverName, content, result), "an upload", result, *current);
}

}  // namespace tars
