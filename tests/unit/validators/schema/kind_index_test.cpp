#include "validators/schema/kind_index.hpp"

#include <catch2/catch.hpp>

#include "validators/schema/schema_model.hpp"

using namespace pushgate;

TEST_CASE("kind index: finds each kind at its apiVersion, and only there", "[schema]") {
  schema::Model model;
  const std::pair<const char*, const char*> kinds[] = {
      {"v1", "Pod"},
      {"v1", "Service"},
      {"apps/v1", "Deployment"},
      {"autoscaling/v1", "HorizontalPodAutoscaler"},
      {"autoscaling/v2", "HorizontalPodAutoscaler"},
      {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
      {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
  };
  for (auto [api_version, kind] : kinds) model.add_kind(api_version, kind, model.add_type());
  schema::Tables tables = model.tables();
  schema::KindIndex index(tables);
  for (const schema::KindEntry& entry : tables.kinds) {
    std::string api_version(tables.text(entry.api_version)), kind(tables.text(entry.kind));
    INFO(api_version << " " << kind);
    CHECK(index.find(tables, api_version, kind) == entry.type);
  }
  CHECK(index.find(tables, "v1", "Deployment") == schema::k_none);
  CHECK(index.find(tables, "apps/v1", "Pod") == schema::k_none);
  CHECK(index.find(tables, "autoscaling/v3", "HorizontalPodAutoscaler") == schema::k_none);
  CHECK(index.find(tables, "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguratio") == schema::k_none);
  CHECK(index.find(tables, "admissionregistration.k8s.io/v1", "ValidatingWebhookXonfiguration") == schema::k_none);
  CHECK(index.find(tables, "", "") == schema::k_none);
}
