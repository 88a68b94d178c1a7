"""Huawei's official Python SDK (huaweicloudsdkeg) against the local emulator.

The emulator must already be running with the seed values below (run.sh
starts it) and its address must be in EG_EMULATOR_ADDR as HOST:PORT.

Run all tests and print the summary line:  python test_official_sdk.py
Plain unittest works too:                  python -m unittest -v test_official_sdk
"""

import os
import sys
import unittest

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkeg.v1 import (
    EgClient,
    EventStreamingOperateReq,
    ResumeEventStreamingRequest,
)

# The seed run.sh passes to the emulator; keep both in step.
PROJECT_ID = "0123456789abcdef0123456789abcdef"
STREAM_ID = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b"
ACCESS_KEY = "HPUAEXAMPLEAK0000001"
SECRET_KEY = "ExampleSecretKey0000000000000000000000000"

# A well-formed id that the emulator does not know.
UNKNOWN_STREAM_ID = "00000000-0000-4000-8000-000000000000"
WRONG_SECRET_KEY = "WrongSecretKey00000000000000000000000000"

# The emulator's request ids are `uuid-millis-eg-emulator`.
REQUEST_ID_SUFFIX = "-eg-emulator"


def emulator_endpoint():
    addr = os.environ.get("EG_EMULATOR_ADDR", "").strip()
    if not addr:
        # An error, not a skip: CI must not pass without talking to the emulator.
        raise RuntimeError("EG_EMULATOR_ADDR (HOST:PORT of a running eg-emulator) is not set")
    return "http://" + addr


def make_client(secret_key=SECRET_KEY):
    credentials = BasicCredentials(ACCESS_KEY, secret_key, PROJECT_ID)
    return (
        EgClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([emulator_endpoint()])
        .build()
    )


def operate(client, stream_id, operation):
    request = ResumeEventStreamingRequest(
        eventstreaming_id=stream_id,
        body=EventStreamingOperateReq(operation=operation),
    )
    return client.resume_event_streaming(request)


class OfficialSdkAgainstEmulator(unittest.TestCase):
    def assert_emulator_request_id(self, request_id):
        self.assertIsInstance(request_id, str)
        self.assertTrue(request_id, "the SDK surfaced an empty request id")
        self.assertTrue(
            request_id.endswith(REQUEST_ID_SUFFIX),
            "request id %r does not end with %r" % (request_id, REQUEST_ID_SUFFIX),
        )
        self.assertGreater(len(request_id), len(REQUEST_ID_SUFFIX))

    def assert_operated(self, operation):
        response = operate(make_client(), STREAM_ID, operation)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.event_streaming_id, STREAM_ID)
        self.assert_emulator_request_id(response.x_request_id)

    def test_start_succeeds(self):
        self.assert_operated("START")

    def test_pause_succeeds(self):
        self.assert_operated("PAUSE")

    def test_unknown_stream_is_404(self):
        with self.assertRaises(ClientRequestException) as caught:
            operate(make_client(), UNKNOWN_STREAM_ID, "START")
        error = caught.exception
        self.assertEqual(error.status_code, 404)
        self.assertEqual(error.error_code, "EG.00014040")
        self.assertEqual(error.error_msg, "Not request resource found")
        self.assert_emulator_request_id(error.request_id)

    def test_wrong_secret_key_is_401(self):
        with self.assertRaises(ClientRequestException) as caught:
            operate(make_client(secret_key=WRONG_SECRET_KEY), STREAM_ID, "START")
        error = caught.exception
        self.assertEqual(error.status_code, 401)
        # The API gateway in front of EG refuses it, with its own code.
        self.assertEqual(error.error_code, "APIGW.0301")
        self.assertEqual(
            error.error_msg,
            "Incorrect IAM authentication information: verify aksk signature fail",
        )
        self.assert_emulator_request_id(error.request_id)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed
    print("python-sdk: %d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
