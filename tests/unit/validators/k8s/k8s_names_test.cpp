#include "validators/k8s/k8s_names.hpp"

#include <catch2/catch.hpp>

#include "validators/yaml/scalar_type.hpp"

using namespace pushgate;

TEST_CASE("Kubernetes name syntax", "[validators][k8s][names]") {
  SECTION("DNS-1123 label") {
    CHECK_FALSE(check_dns1123_label("web-1"));
    CHECK_FALSE(check_dns1123_label("1web"));
    CHECK(check_dns1123_label("web.1"));
    CHECK(check_dns1123_label("-web"));
    CHECK(check_dns1123_label("web-"));
    CHECK(check_dns1123_label("Web"));
    CHECK(check_dns1123_label(""));
    CHECK_FALSE(check_dns1123_label(std::string(63, 'a')));
    CHECK(check_dns1123_label(std::string(64, 'a')));
  }
  SECTION("DNS-1035 label starts with a letter") {
    CHECK_FALSE(check_dns1035_label("web-1"));
    CHECK(check_dns1035_label("1web"));
  }
  SECTION("DNS-1123 subdomain") {
    CHECK_FALSE(check_dns1123_subdomain("web.example.com"));
    CHECK(check_dns1123_subdomain("web..example"));
    CHECK(check_dns1123_subdomain(".web"));
    CHECK(check_dns1123_subdomain("web_app"));
    CHECK_FALSE(check_dns1123_subdomain(std::string(253, 'a')));
    CHECK(check_dns1123_subdomain(std::string(254, 'a')));
  }
  SECTION("path segment (RBAC)") {
    CHECK_FALSE(check_path_segment("system:controller:x"));
    CHECK(check_path_segment("a/b"));
    CHECK(check_path_segment(".."));
  }
  SECTION("qualified names (label and annotation keys)") {
    CHECK_FALSE(check_qualified_name("app"));
    CHECK_FALSE(check_qualified_name("app.kubernetes.io/name"));
    CHECK_FALSE(check_qualified_name("My_Key.1"));
    CHECK(check_qualified_name("a/b/c"));
    CHECK(check_qualified_name("/name"));
    CHECK(check_qualified_name("example.com/"));
    CHECK(check_qualified_name("_app"));
    CHECK(check_qualified_name("app key"));
    CHECK_FALSE(check_qualified_name(std::string(253, 'a') + "/" + std::string(63, 'b')));
    CHECK(check_qualified_name(std::string(254, 'a') + "/b"));
    CHECK(check_qualified_name("a/" + std::string(64, 'b')));
  }
  SECTION("label values") {
    CHECK_FALSE(check_label_value(""));
    CHECK_FALSE(check_label_value("v1.2_3-x"));
    CHECK(check_label_value("v1 2"));
    CHECK(check_label_value("-x"));
    CHECK(check_label_value(std::string(64, 'v')));
  }
  SECTION("API versions") {
    for (const char* ok : {"v1", "apps/v1", "batch/v1beta1", "example.com/v2alpha3", "a-b.c/v10"})
      CHECK_FALSE(check_api_version(ok));
    for (const char* bad : {"", "1", "V1", "v0", "v1beta", "v1gamma1", "apps/", "/v1", "Apps/v1", "a/b/v1", "v01"})
      CHECK(check_api_version(bad));
  }
  SECTION("kinds") {
    CHECK_FALSE(check_kind("Deployment"));
    CHECK_FALSE(check_kind("HorizontalPodAutoscaler2"));
    CHECK(check_kind("deployment"));
    CHECK(check_kind("Config-Map"));
    CHECK(check_kind(""));
  }
}

TEST_CASE("scalar types as Kubernetes reads them (YAML 1.1)", "[validators][k8s][scalars]") {
  for (const char* b : {"true", "False", "yes", "NO", "on", "Off", "y", "N"})
    CHECK(plain_scalar_type(b) == ScalarType::boolean);
  for (const char* n : {"1", "-1", "+1", "1.0", ".5", "1e3", "1_000", "0x1F", "0o17", "0b101", "0755", ".inf", "-.Inf", ".nan"})
    CHECK(plain_scalar_type(n) == ScalarType::number);
  for (const char* s : {"1.2.3", "v1", "yes please", "0x", "1e", "inf", "nan", "-", ".", "12:30", "1_0a"})
    CHECK(plain_scalar_type(s) == ScalarType::string);
  for (const char* z : {"", "~", "null", "NULL"}) CHECK(plain_scalar_type(z) == ScalarType::null);
}
