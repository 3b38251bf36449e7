package gatewayapi

// stripDescriptions removes the description of every schema in a CRD's
// versions, leaving everything the API server validates with. Property
// names are never touched, so a field called "description" survives.
func stripDescriptions(crd map[string]any) {
	spec, _ := crd["spec"].(map[string]any)
	versions, _ := spec["versions"].([]any)
	for _, v := range versions {
		vm, _ := v.(map[string]any)
		schema, _ := vm["schema"].(map[string]any)
		if s, ok := schema["openAPIV3Schema"].(map[string]any); ok {
			stripSchema(s)
		}
	}
}

func stripSchema(s map[string]any) {
	delete(s, "description")
	for _, k := range []string{"properties", "patternProperties", "definitions"} {
		if m, ok := s[k].(map[string]any); ok {
			for _, sub := range m {
				if sm, ok := sub.(map[string]any); ok {
					stripSchema(sm)
				}
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties", "not"} {
		switch sub := s[k].(type) {
		case map[string]any:
			stripSchema(sub)
		case []any:
			stripAll(sub)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if l, ok := s[k].([]any); ok {
			stripAll(l)
		}
	}
}

func stripAll(l []any) {
	for _, sub := range l {
		if sm, ok := sub.(map[string]any); ok {
			stripSchema(sm)
		}
	}
}
