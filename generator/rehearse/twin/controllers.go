package twin

// newControllers lists the twin's operators in the order they reconcile
// within a tick.
func (t *Twin) newControllers() []controller {
	return nil
}
