#include "daemon/record_retrier.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace pushgate::daemon {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds k_first_delay{250};
// Short enough that a freed disk is noticed soon, long enough not to spin.
constexpr std::chrono::milliseconds k_longest_delay{4000};

}  // namespace

std::string pending_to_json(const PendingRecord& p) {
  Json j = {{"commit", p.commit}, {"record", format_record(p.record)}, {"log", p.log},
            {"release", p.release}, {"message", p.message}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<PendingRecord> pending_from_json(const std::string& text, const Job& job) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto str = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto record = parse_record(str("record"));
  if (!record || str("commit").empty()) return std::nullopt;
  return PendingRecord{job, str("commit"), std::move(*record), str("log"), str("release"), str("message")};
}

RecordRetrier::RecordRetrier(Attempt attempt) : m_attempt(std::move(attempt)), m_thread([this] { loop(); }) {}

RecordRetrier::~RecordRetrier() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void RecordRetrier::add(PendingRecord pending) {
  {
    std::lock_guard lock(m_mutex);
    m_entries.push_back({std::move(pending), Clock::now() + k_first_delay, k_first_delay});
  }
  m_wake.notify_all();
}

void RecordRetrier::loop() {
  std::unique_lock lock(m_mutex);
  while (!m_stop) {
    if (m_entries.empty()) {
      m_wake.wait(lock);
      continue;
    }
    auto next = std::min_element(m_entries.begin(), m_entries.end(),
                                 [](const Entry& a, const Entry& b) { return a.due < b.due; });
    if (next->due > Clock::now()) {
      m_wake.wait_until(lock, next->due);
      continue;
    }
    Entry entry = std::move(*next);
    m_entries.erase(next);
    lock.unlock();
    bool recorded = m_attempt(entry.pending);
    lock.lock();
    if (recorded) continue;
    entry.delay = std::min(entry.delay * 2, k_longest_delay);
    entry.due = Clock::now() + entry.delay;
    m_entries.push_back(std::move(entry));
  }
}

}  // namespace pushgate::daemon
