package sim

import "unsafe"

// CustomerBytes is the size of one live customer's state.
const CustomerBytes = unsafe.Sizeof(customer{})
