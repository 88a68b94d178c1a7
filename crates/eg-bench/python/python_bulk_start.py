"""START every id of a file with Huawei's official Python SDK, 16 threads,
one client per thread. Usage: python_bulk_start.py IDS_FILE ENDPOINT.
AK, SK and project come from HUAWEICLOUD_SDK_AK, _SK and _PROJECT_ID.
Exits 1, naming the first failure, when any id fails."""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkeg.v1 import (
    EgClient,
    EventStreamingOperateReq,
    ResumeEventStreamingRequest,
)

THREADS = 16
local = threading.local()


def client(endpoint):
    if not hasattr(local, "client"):
        credentials = BasicCredentials(
            os.environ["HUAWEICLOUD_SDK_AK"],
            os.environ["HUAWEICLOUD_SDK_SK"],
            os.environ["HUAWEICLOUD_SDK_PROJECT_ID"],
        )
        local.client = (
            EgClient.new_builder()
            .with_credentials(credentials)
            .with_endpoints([endpoint])
            .build()
        )
    return local.client


def start(endpoint, stream_id):
    request = ResumeEventStreamingRequest(
        eventstreaming_id=stream_id,
        body=EventStreamingOperateReq(operation="START"),
    )
    try:
        response = client(endpoint).resume_event_streaming(request)
    except Exception as error:  # reported, not raised: every id is tried
        return "%s: %s" % (stream_id, error)
    if response.event_streaming_id != stream_id:
        return "%s: answered for %r" % (stream_id, response.event_streaming_id)
    return None


def main():
    ids_file, endpoint = sys.argv[1], sys.argv[2]
    with open(ids_file) as f:
        ids = [line.strip() for line in f if line.strip()]
    with ThreadPoolExecutor(THREADS) as pool:
        failures = [r for r in pool.map(lambda i: start(endpoint, i), ids) if r]
    if failures:
        print("%d of %d failed; first: %s" % (len(failures), len(ids), failures[0]), file=sys.stderr)
        sys.exit(1)


main()
