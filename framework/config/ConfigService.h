// ConfigService: the running config service's state, shared by its servants (one
// ConfigImp per handle thread): the store, the rules over it, and the rate limit.
// Made by ConfigServer::initialize(); every servant holds a shared_ptr, so it lives until
// the last of them is gone. Threads: every member is thread-safe.
#pragma once

#include <memory>

#include "ConfigRepository.h"
#include "ConfigSettings.h"
#include "LoadLimiter.h"
#include "RegistryStore.h"

namespace tars {

class ConfigService {
public:
    ConfigService(std::unique_ptr<RegistryStore> store, const ConfigSettings& settings)
        : _store(std::move(store)),
          _repository(*_store),
          _limiter(settings.limitLoads, int64_t{settings.limitMinutes} * 60 * 1000),
          _limitLoads(settings.limitLoads),
          _limitMinutes(settings.limitMinutes) {}
    ConfigService(const ConfigService&) = delete;
    ConfigService& operator=(const ConfigService&) = delete;

    ConfigRepository& repository() { return _repository; }
    LoadLimiter& limiter() { return _limiter; }
    int limitLoads() const { return _limitLoads; }
    int limitMinutes() const { return _limitMinutes; }

private:
    std::unique_ptr<RegistryStore> _store;
    ConfigRepository _repository;  // uses *_store
    LoadLimiter _limiter;
    const int _limitLoads;
    const int _limitMinutes;
};

}  // namespace tars
