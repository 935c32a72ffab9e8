#include "DefaultTemplates.h"

#include "DeployRules.h"

namespace tars {

namespace {

// ${...} are the node's macros, filled when it writes a server's config file. tars.default
// points every server at the framework's services by name (config, stat, property, notify,
// log): a deployed server reports with no configuration of its own, and a service that is
// not deployed costs it nothing but a failed lookup now and then.
constexpr const char* kServerProfile = R"(<tars>
  <application>
    <client>
      locator = ${locator}
      sync-invoke-timeout = 3000
      async-invoke-timeout = 5000
      connect-timeout = 3000
      refresh-endpoint-interval = 60000
      modulename = ${modulename}
      stat = tars.tarsstat.StatObj
      property = tars.tarsproperty.PropertyObj
      report-interval = 60000
    </client>
    <server>
      logLevel = DEBUG
      logsize = 50M
      lognum = 10
      config = tars.tarsconfig.ConfigObj
      notify = tars.tarsnotify.NotifyObj
      log = tars.tarslog.LogObj
      deactivating-timeout = 3000
    </server>
  </application>
</tars>
)";

constexpr const char* kNodeProfile = R"(<tars>
  <application>
    <client>
      locator = ${locator}
      sync-invoke-timeout = 6000
      async-invoke-timeout = 60000
      connect-timeout = 3000
      refresh-endpoint-interval = 60000
    </client>
    <server>
      logLevel = INFO
    </server>
  </application>
  <node>
    <keepalive>
      heartTimeout = 45
      monitorInterval = 3
      reportAliveInterval = 10
      synStatInterval = 60
    </keepalive>
  </node>
</tars>
)";

}  // namespace

const std::vector<ProfileTemplate>& defaultTemplates() {
    static const std::vector<ProfileTemplate> templates = [] {
        std::vector<ProfileTemplate> all(2);
        all[0].templateName = deploy::kDefaultServerTemplate;
        all[0].profile = kServerProfile;
        all[0].lastUser = "tarsregistry";
        all[1].templateName = deploy::kDefaultNodeTemplate;
        all[1].profile = kNodeProfile;
        all[1].lastUser = "tarsregistry";
        return all;
    }();
    return templates;
}

std::vector<std::string> seedDefaultTemplates(TemplateStore& templates, int64_t now) {
    std::vector<std::string> seeded;
    for (ProfileTemplate profileTemplate : defaultTemplates()) {
        if (templates.getTemplate(profileTemplate.templateName)) continue;
        profileTemplate.postTime = now;
        templates.upsertTemplate(profileTemplate);
        seeded.push_back(profileTemplate.templateName);
    }
    return seeded;
}

}  // namespace tars
