package manifest

// Annotation is the value of an object's annotation key, or "" when the
// object does not carry it. A value that is not a string reads as "": the
// API server only takes strings there.
func Annotation(obj map[string]any, key string) string {
	return metadataString(obj, "annotations", key)
}

// Label is the value of an object's label key, or "" when the object does
// not carry it (or carries a value that is not a string).
func Label(obj map[string]any, key string) string {
	return metadataString(obj, "labels", key)
}

// metadataString reads metadata.<field>[key] as a string.
func metadataString(obj map[string]any, field, key string) string {
	meta, _ := obj["metadata"].(map[string]any)
	values, _ := meta[field].(map[string]any)
	s, _ := values[key].(string)
	return s
}
