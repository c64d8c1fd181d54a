// Unmodified client code for test_endpoint_env.py: a RekognitionClient built with no endpoint,
// region or credentials, so all three come from the environment (AWS_ENDPOINT_URL_REKOGNITION or
// AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). Prints what it listed.
import { RekognitionClient, ListMediaAnalysisJobsCommand } from '@aws-sdk/client-rekognition';

const client = new RekognitionClient({});
const page = await client.send(new ListMediaAnalysisJobsCommand({ MaxResults: 10 }));
console.log(JSON.stringify({
  RequestId: page.$metadata.requestId,
  JobIds: page.MediaAnalysisJobs.map((job) => job.JobId),
}));
client.destroy();
