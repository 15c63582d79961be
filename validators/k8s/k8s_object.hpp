#pragma once
// Finding Kubernetes objects in parsed YAML: shared by the structure checks
// and the cross-file index, so both agree on what an object is.

#include <string_view>
#include <vector>

#include "core/yaml/yaml_tree.hpp"

namespace pushgate {

// True when `node` is a mapping with an apiVersion, kind or metadata key.
bool looks_like_object(const yaml::Document& doc, yaml::NodeId node);

// True when `object` is a list of objects: `kind: List`, or any kind ending
// in "List" that has `items`. Its objects are the elements of `items`.
bool is_list(const yaml::Document& doc, yaml::NodeId object);

// The objects of one document: its root, or the items of a list. Only
// mappings that look like objects are returned.
std::vector<yaml::NodeId> object_nodes(const yaml::Document& doc);

// True for an apiextensions.k8s.io CustomResourceDefinition.
bool is_crd(const yaml::Document& doc, yaml::NodeId object);

// The text of `node` when it is a scalar, else "".
std::string_view scalar_text(const yaml::Document& doc, yaml::NodeId node);

// The API group of an apiVersion: "" for "v1" (the core group), "apps" for
// "apps/v1".
std::string_view api_group(std::string_view api_version);

}  // namespace pushgate
