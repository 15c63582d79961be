#include "deployers/drift.hpp"

#include <catch2/catch.hpp>

namespace pushgate {

TEST_CASE("Drift counts every difference but names only the first few", "[drift]") {
  Drift drift;
  CHECK_FALSE(drift.drifted());
  CHECK(describe_drift(drift) == "no drift");
  for (int i = 0; i < 7; ++i) drift.note(&Drift::changed, "~f" + std::to_string(i));
  drift.note(&Drift::added, "+new");
  CHECK(drift.drifted());
  CHECK(drift.changed == 7);
  CHECK(drift.added == 1);
  REQUIRE(drift.paths.size() == k_drift_paths);
  CHECK(drift.paths.front() == "~f0");
  CHECK(describe_drift(drift) == "7 changed, 1 added (first: ~f0 ~f1 ~f2 ~f3 ~f4)");
}

TEST_CASE("drift_fields gives the note's counts and first paths", "[drift]") {
  Drift host_a;
  host_a.note(&Drift::removed, "-a:web.yaml");
  Drift host_b;
  host_b.note(&Drift::elsewhere, "b:current -> ");
  host_b.unchecked.push_back("c: cannot connect");
  host_a.merge(host_b);
  using Fields = std::vector<std::pair<std::string, std::string>>;
  CHECK(drift_fields(host_a) == Fields{{"added", "0"},
                                       {"removed", "1"},
                                       {"changed", "0"},
                                       {"elsewhere", "1"},
                                       {"paths", "-a:web.yaml b:current -> "},
                                       {"unchecked", "1"}});
  CHECK(drift_fields(Drift{}) == Fields{{"added", "0"}, {"removed", "0"}, {"changed", "0"}});
}

}  // namespace pushgate
