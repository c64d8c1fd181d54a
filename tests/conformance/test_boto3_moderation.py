"""Scripted moderation results, judged by a pipeline written against AWS: rules (from a file, a
fixture document or the control plane) and the rkm- name convention decide what each image shows;
boto3 starts the job on the S3 backend (a real S3 server, moto_server) and the results file and
the manifest summary are compared line by line with what Rekognition writes."""

import json
import os
import unittest

from bulk_lab import image_bytes, manifest
from mock_server import MockServer, ServerStartError, ServerTestCase, control, control_ok
from s3_lab import S3Lab, SharedMotoServer
from test_boto3_bulk_analysis import rekognition

ADAPTER = "arn:aws:rekognition:us-east-1:111122223333:project/nsfw/version/v2/1700000000000"

RULES = {"ModerationRules": [
    # A rule for another job comes first: the job condition makes it pass over this one.
    {"SourceRefPrefix": "s3://media-in/images/", "JobName": "other-*",
     "Labels": [{"Name": "Gambling", "Confidence": 99}]},
    {"SourceRef": "s3://media-in/images/gun.png",
     "Labels": [{"Name": "Weapons", "Confidence": 93}],
     "ContentTypes": [{"Name": "Animated", "Confidence": 88.5}]},
    {"SourceRefPrefix": "s3://media-in/images/nsfw/",
     "Labels": [{"Name": "Exposed Female Nipple", "Confidence": 97.25}]},
    {"SourceRefGlob": "s3://media-in/images/*-cartoon.jpg",
     "ContentTypes": [{"Name": "Illustrated", "Confidence": 77}]},
    {"SourceRef": "s3://media-in/images/broken.png",
     "Error": {"Code": "ERROR_CORRUPT_IMAGE", "Message": "The image is corrupt."}},
    # An ancestor scripted below MinConfidence is dropped; the child and its parent stay.
    {"SourceRef": "s3://media-in/images/fight.png",
     "Labels": [{"Name": "Weapon Violence", "Confidence": 90}, {"Name": "Violence", "Confidence": 40}]},
    {"SourceRef": "s3://media-in/images/faint.png",
     "Labels": [{"Name": "Smoking", "Confidence": 49.9}]},
    {"SourceRef": "s3://media-in/images/adapter.png", "ProjectVersion": "*:project/nsfw/*",
     "Labels": [{"Name": "Sex Toys", "Confidence": 64}]},
]}


def label(name, confidence, parent, level):
    return {"Confidence": confidence, "Name": name, "ParentName": parent, "TaxonomyLevel": level}


def line(source_ref, labels=(), content_types=(), project_version=None):
    response = {"ModerationLabels": list(labels), "ModerationModelVersion": "7.0"}
    if project_version is not None:
        response["ProjectVersion"] = project_version
    response["ContentTypes"] = [{"Confidence": c, "Name": n} for n, c in content_types]
    return {"source-ref": source_ref, "detect-moderation-labels": response}


def image_ref(key):
    return f"s3://media-in/images/{key}"


class ModerationOnS3Test(SharedMotoServer, ServerTestCase):
    def setUp(self):
        super().setUp()
        self.moto.reset()
        self.lab = S3Lab(self.moto)
        self.lab.make_bucket("media-in")
        self.lab.make_bucket("media-out")

    def write_json(self, name, document):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f)
        return path

    def start_mock(self, *args):
        server = self.start_server("--log-level", "warn", *self.lab.server_args(), *args)
        return server, rekognition(server.endpoint)

    def put_images(self, *keys):
        for key in keys:
            self.lab.put("media-in", "images/" + key, image_bytes("ok-120x90.png"))

    def run_job(self, client, manifest_key="m.jsonl", **extra):
        kwargs = {"JobName": "bulk",
                  "OperationsConfig": {"DetectModerationLabels": {"MinConfidence": 50}},
                  "Input": {"S3Object": {"Bucket": "media-in", "Name": manifest_key}},
                  "OutputConfig": {"S3Bucket": "media-out", "S3KeyPrefix": "out"}}
        kwargs.update(extra)
        job_id = client.start_media_analysis_job(**kwargs)["JobId"]
        # Zero durations: the first Get after Start does the work and shows the outcome.
        job = client.get_media_analysis_job(JobId=job_id)
        self.assertEqual(job["Status"], "SUCCEEDED", job.get("FailureDetails"))
        return job

    def outputs(self, job):
        results = job["Results"]["S3Object"]
        summary = job["ManifestSummary"]["S3Object"]
        raw = self.lab.get(results["Bucket"], results["Name"])
        return raw, [json.loads(text) for text in raw.decode().splitlines()], json.loads(
            self.lab.get(summary["Bucket"], summary["Name"]))

    # ---------------------------------------------------------------------------------------

    def test_every_rule_kind_and_the_name_convention_script_their_images(self):
        self.put_images("gun.png", "nsfw/a.png", "sunset-cartoon.jpg", "fight.png", "faint.png",
                        "clean.png", "rkm-label-smoking-80_rkm-content-animated-61.png")
        self.lab.put("media-in", "m.jsonl", manifest(
            ("media-in", "images/gun.png"),
            ("media-in", "images/nsfw/a.png"),
            ("media-in", "images/sunset-cartoon.jpg"),
            ("media-in", "images/broken.png"),  # scripted error: no image needed
            ("media-in", "images/fight.png"),
            ("media-in", "images/faint.png"),
            ("media-in", "images/clean.png"),
            ("media-in", "images/rkm-label-smoking-80_rkm-content-animated-61.png"),
            ("media-in", "images/rkm-label-weapns-80.png"),
            ("media-in", "images/missing.png"),
        ))
        _, client = self.start_mock("--moderation-rules", self.write_json("rules.json", RULES))
        job = self.run_job(client)
        raw, lines, summary = self.outputs(job)
        self.assertEqual(lines, [
            line(image_ref("gun.png"),
                 [label("Weapons", 93.0, "Violence", 2), label("Violence", 93.0, "", 1)],
                 [("Animated", 88.5)]),
            line(image_ref("nsfw/a.png"), [
                label("Exposed Female Nipple", 97.25, "Explicit Nudity", 3),
                label("Explicit Nudity", 97.25, "Explicit", 2),
                label("Explicit", 97.25, "", 1)]),
            line(image_ref("sunset-cartoon.jpg"), [], [("Illustrated", 77.0)]),
            line(image_ref("fight.png"), [
                label("Weapon Violence", 90.0, "Graphic Violence", 3),
                label("Graphic Violence", 90.0, "Violence", 2)]),
            line(image_ref("faint.png")),
            line(image_ref("clean.png")),
            line(image_ref("rkm-label-smoking-80_rkm-content-animated-61.png"), [
                label("Smoking", 80.0, "Drugs & Tobacco Paraphernalia & Use", 3),
                label("Drugs & Tobacco Paraphernalia & Use", 80.0, "Drugs & Tobacco", 2),
                label("Drugs & Tobacco", 80.0, "", 1)], [("Animated", 61.0)]),
        ])
        # Byte for byte as AWS writes a line: compact, members in order, confidences as floats.
        self.assertEqual(raw.split(b"\n")[0], (
            b'{"source-ref":"s3://media-in/images/gun.png","detect-moderation-labels":'
            b'{"ModerationLabels":[{"Confidence":93.0,"Name":"Weapons","ParentName":"Violence",'
            b'"TaxonomyLevel":2},{"Confidence":93.0,"Name":"Violence","ParentName":"",'
            b'"TaxonomyLevel":1}],"ModerationModelVersion":"7.0","ContentTypes":'
            b'[{"Confidence":88.5,"Name":"Animated"}]}}'))
        self.assertEqual(summary["statistics"], {
            "total-json-lines": 10, "valid-json-lines": 7, "invalid-json-lines": 3})
        self.assertEqual(summary["errors"][0], {
            "line-numer": 4, "source-ref": image_ref("broken.png"), "code": "ERROR_CORRUPT_IMAGE",
            "message": "The image is corrupt."})
        self.assertEqual(summary["errors"][1]["line-numer"], 9)
        self.assertEqual(summary["errors"][1]["code"], "ERROR_MOCK_NAME_CONVENTION")
        self.assertIn("nearest labels: weapons", summary["errors"][1]["message"])
        self.assertEqual((summary["errors"][2]["line-numer"], summary["errors"][2]["code"]),
                         (10, "ERROR_NO_SUCH_KEY"))

        with self.subTest("the same manifest, rules and job write byte-identical results"):
            again, _, _ = self.outputs(self.run_job(client))
            self.assertEqual(again, raw)

        with self.subTest("a rule for another job applies to that job only"):
            other = self.run_job(client, JobName="other-7")
            _, lines, _ = self.outputs(other)
            self.assertEqual(lines[0]["detect-moderation-labels"]["ModerationLabels"],
                             [label("Gambling", 99.0, "", 1)])

    def test_an_adapter_job_carries_its_project_version_and_matches_rules_on_it(self):
        self.put_images("adapter.png")
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/adapter.png")))
        _, client = self.start_mock("--moderation-rules", self.write_json("rules.json", RULES))
        job = self.run_job(client, OperationsConfig={
            "DetectModerationLabels": {"ProjectVersion": ADAPTER}})
        self.assertEqual(job["Results"]["ModelVersions"], {"Moderation": "7.0"})
        _, lines, _ = self.outputs(job)
        self.assertEqual(lines, [line(image_ref("adapter.png"),
                                      [label("Sex Toys", 64.0, "Explicit", 2),
                                       label("Explicit", 64.0, "", 1)],
                                      project_version=ADAPTER)])
        # Without the adapter the rule does not match.
        _, lines, _ = self.outputs(self.run_job(client))
        self.assertEqual(lines, [line(image_ref("adapter.png"))])

    def test_rules_set_over_the_control_plane_apply_from_the_next_start(self):
        self.put_images("gun.png")
        self.lab.put("media-in", "m.jsonl", manifest(("media-in", "images/gun.png")))
        server, client = self.start_mock()
        before = self.run_job(client)
        self.assertEqual(control_ok(server, "GET", "/_mock/moderation-rules"), {
            "AccountId": "000000000000", "Region": "us-east-1", "ModerationRules": []})

        rules = {"ModerationRules": [{"SourceRef": image_ref("gun.png"),
                                      "Labels": [{"Name": "Weapons", "Confidence": 91.5}]}]}
        self.assertEqual(control_ok(server, "POST", "/_mock/moderation-rules", rules), {
            "AccountId": "000000000000", "Region": "us-east-1", "RulesSet": 1})
        listed = control_ok(server, "GET", "/_mock/moderation-rules")
        self.assertEqual(listed["ModerationRules"], [{
            "SourceRef": image_ref("gun.png"), "Labels": [{"Name": "Weapons", "Confidence": 91.5}]}])

        after = self.run_job(client)
        _, lines, _ = self.outputs(after)
        self.assertEqual(lines[0]["detect-moderation-labels"]["ModerationLabels"][0]["Name"],
                         "Weapons")
        # The finished job's results were written once, before the rules: unchanged.
        _, lines, _ = self.outputs(before)
        self.assertEqual(lines, [line(image_ref("gun.png"))])

        with self.subTest("a job keeps the rules in force when it started"):
            slow = client.start_media_analysis_job(
                OperationsConfig={"DetectModerationLabels": {}},
                Input={"S3Object": {"Bucket": "media-in", "Name": "m.jsonl"}},
                OutputConfig={"S3Bucket": "media-out"})["JobId"]
            control_ok(server, "POST", f"/_mock/jobs/{slow}/status", {"Status": "IN_PROGRESS"})
            control_ok(server, "DELETE", "/_mock/moderation-rules")
            control_ok(server, "POST", f"/_mock/jobs/{slow}/status", {"Status": "SUCCEEDED"})
            _, lines, _ = self.outputs(client.get_media_analysis_job(JobId=slow))
            self.assertEqual(lines[0]["detect-moderation-labels"]["ModerationLabels"][0],
                             label("Weapons", 91.5, "Violence", 2))

        with self.subTest("bad rules change nothing and name the rule and the label"):
            control_ok(server, "POST", "/_mock/moderation-rules", rules)
            bad = {"ModerationRules": [rules["ModerationRules"][0],
                                       {"Labels": [{"Name": "Nudity", "Confidence": 80}]}]}
            answer = control(server, "POST", "/_mock/moderation-rules", bad)
            self.assertEqual(answer.status, 400)
            self.assertEqual(answer.json["Error"], "BadRequest")
            self.assertEqual(answer.json["Message"],
                             'ModerationRules[1].Labels[0].Name: "Nudity" is not a moderation '
                             'label of model 7.0; nearest: "Implied Nudity", "Explicit Nudity", '
                             '"Non-Explicit Nudity"')
            self.assertEqual(control_ok(server, "GET", "/_mock/moderation-rules"), listed)

        with self.subTest("rules are per account and region; DELETE clears one scope"):
            other = {"AccountId": "111122223333", "Region": "eu-west-1", **rules}
            control_ok(server, "POST", "/_mock/moderation-rules", other)
            self.assertEqual(control_ok(server, "DELETE", "/_mock/moderation-rules"), {
                "AccountId": "000000000000", "Region": "us-east-1", "RulesCleared": 1})
            self.assertEqual(control_ok(server, "GET", "/_mock/moderation-rules")
                             ["ModerationRules"], [])
            self.assertEqual(len(control_ok(
                server, "GET", "/_mock/moderation-rules?AccountId=111122223333&Region=eu-west-1")
                ["ModerationRules"]), 1)


class ModerationRulesFilesTest(ServerTestCase):
    """Rules from start-up files and fixture documents; no object store needed."""

    def write_json(self, name, document):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f)
        return path

    def test_a_rules_file_with_a_bad_label_stops_start_up_naming_file_rule_and_label(self):
        path = self.write_json("rules.json", {"ModerationRules": [
            {"SourceRef": "s3://b/a.png", "Labels": [{"Name": "Weapons", "Confidence": 90}]},
            {"SourceRefPrefix": "s3://b/", "Labels": [{"Name": "Explicit Nudityy",
                                                       "Confidence": 90}]}]})
        with self.assertRaises(ServerStartError) as caught:
            MockServer("--moderation-rules", path).start()
        self.assertNotEqual(caught.exception.returncode, 0)
        self.assertIn(
            f'rekognition-mock: error: {path}: ModerationRules[1].Labels[0].Name: '
            f'"Explicit Nudityy" is not a moderation label of model 7.0; nearest: '
            f'"Explicit Nudity", ', caught.exception.stderr)

    def test_fixture_documents_carry_rules_and_a_reset_puts_the_start_up_rules_back(self):
        fixture = self.write_json("world.json", {
            "AccountId": "111122223333", "Region": "eu-west-1", "MediaAnalysisJobs": [],
            "ModerationRules": [{"SourceRefGlob": "*.png",
                                 "ContentTypes": [{"Name": "Animated", "Confidence": 70}]}]})
        rules_file = self.write_json("rules.json", {"AccountId": "111122223333",
                                                    "Region": "eu-west-1", "ModerationRules": [
            {"Labels": [{"Name": "Alcohol", "Confidence": 60}]}]})
        server = self.start_server("--fixtures", fixture, "--moderation-rules", rules_file)
        scope = "?AccountId=111122223333&Region=eu-west-1"
        startup = control_ok(server, "GET", "/_mock/moderation-rules" + scope)
        # The fixture's rules, then the rules file's: first match wins in that order.
        self.assertEqual(startup["ModerationRules"], [
            {"SourceRefGlob": "*.png", "Labels": [],
             "ContentTypes": [{"Name": "Animated", "Confidence": 70.0}]},
            {"Labels": [{"Name": "Alcohol", "Confidence": 60.0}]}])
        # A dump carries the scope's rules, so that it loads back as the whole world.
        dump = control_ok(server, "GET", "/_mock/jobs" + scope)
        self.assertEqual(dump["ModerationRules"], startup["ModerationRules"])
        self.assertNotIn("ModerationRules", control_ok(server, "GET", "/_mock/jobs"))
        control_ok(server, "DELETE", "/_mock/moderation-rules" + scope)
        control_ok(server, "POST", "/_mock/moderation-rules", {"ModerationRules": [{}]})
        control_ok(server, "POST", "/_mock/reset")
        self.assertEqual(control_ok(server, "GET", "/_mock/moderation-rules" + scope), startup)
        self.assertEqual(control_ok(server, "GET", "/_mock/moderation-rules")["ModerationRules"],
                         [])
        # A reset that does not reload the files leaves no rules.
        control_ok(server, "POST", "/_mock/reset", {"ReloadFixtures": False})
        self.assertEqual(
            control_ok(server, "GET", "/_mock/moderation-rules" + scope)["ModerationRules"], [])

        with self.subTest("a seeded document's rules replace its scope's"):
            control_ok(server, "POST", "/_mock/jobs", {"ModerationRules": [
                {"Error": {"Code": "ERROR_X"}}]})
            self.assertEqual(control_ok(server, "GET", "/_mock/moderation-rules")
                             ["ModerationRules"],
                             [{"Error": {"Code": "ERROR_X",
                                         "Message": "Scripted by a moderation rule."}}])
        with self.subTest("a seeded document with a bad rule seeds nothing"):
            answer = control(server, "POST", "/_mock/jobs", {"ModerationRules": [
                {"Labels": [{"Name": "Weapons", "Confidence": 101}]}]})
            self.assertEqual(answer.status, 400)
            self.assertIn("ModerationRules[0].Labels[0].Confidence: must be a number from 0 to 100",
                          answer.json["Message"])


if __name__ == "__main__":
    unittest.main()
