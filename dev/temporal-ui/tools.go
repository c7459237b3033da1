//go:build tools

// The Temporal UI server, built from the Go module proxy for `npm run cluster` (dev/cluster.ts):
// this module only pins its version and the Temporal API module it needs (v1.64.0, which the UI
// server names, is not served by the proxy; v1.64.3 is). The version is the one docker-compose.yml runs.
package tools

import _ "github.com/temporalio/ui-server/v2/cmd/server"
