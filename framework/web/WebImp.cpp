#include "WebImp.h"

#include "servant/BindAdapter.h"
#include "servant/Current.h"

namespace tars::web {

int WebImp::doRequest(CurrentPtr current, std::vector<char>& response) {
    WebRequest request;
    request.clientIp = current->getIp();
    request.tls = current->getBindAdapter() && current->getBindAdapter()->isTls();
    HttpResponse reply;
    if (!request.http.decode(current->getRequestBuffer())) {
        reply = jsonError(400, "malformed HTTP request");
        reply.setHeader("Connection", "close");
        current->close();
    } else {
        reply = _console->handle(request);
        if (request.tls) reply.setHeader("Strict-Transport-Security", "max-age=31536000");
        if (!request.http.isKeepAlive()) {
            reply.setHeader("Connection", "close");
            current->close();  // after this reply is written
        }
    }
    reply.encode(response);
    return 0;
}

}  // namespace tars::web
