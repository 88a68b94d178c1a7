"""Times Huawei's official Python signer (huaweicloudsdkcore) on the request
the Rust signer is timed on. Usage: python_signer.py ITERATIONS ROUNDS.
Prints the microseconds per signature of each round, one per line."""

import sys
import time

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000000"
PROJECT = "0123456789abcdef0123456789abcdef"
PATH = "/v1/%s/eventstreamings/operate/6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b" % PROJECT
BODY = b'{"operation":"START"}'


def request():
    # The headers the Rust client signs; Host and X-Sdk-Date are added by the signer.
    return SdkRequest(
        method="POST",
        schema="http",
        host="127.0.0.1:8080",
        resource_path=PATH,
        query_params=[],
        header_params={
            "Accept": "application/json",
            "Content-Type": "application/json",
            "X-Project-Id": PROJECT,
        },
        body=BODY,
    )


def main():
    iterations, rounds = int(sys.argv[1]), int(sys.argv[2])
    signer = Signer(BasicCredentials(AK, SK, PROJECT))
    signer.sign(request())  # warm-up
    for _ in range(rounds):
        requests = [request() for _ in range(iterations)]
        started = time.perf_counter()
        for r in requests:
            signer.sign(r)
        print((time.perf_counter() - started) * 1e6 / iterations, flush=True)


main()
