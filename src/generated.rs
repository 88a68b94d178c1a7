//! The progenitor output for `openapi/eg.yaml`, private to the crate: users
//! see its `types` through the crate root, and call it through [`crate::Client`].
//!
//! The hooks progenitor expects are implemented here, each delegating to
//! [`crate::hooks`], so that `hooks` needs nothing of this module and the
//! modules depend one way: client → generated → hooks → state.

// Generated code is reviewed as a snapshot, not linted.
#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod progenitor_output {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

pub use progenitor_output::{Client, Error, types};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::hooks::{self, CallContext};

impl ClientHooks<CallContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        hooks::pre(self.inner(), request).map_err(progenitor_client::Error::Custom)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        hooks::exec(self.inner(), self.client(), request).await
    }
}
