import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Distribution, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * The dashboard: a private, encrypted, SSL-only S3 bucket behind CloudFront with origin access
 * control. `deploy` uploads the build with a `config.json` naming the API URL; without a build
 * (no `index.html` in the dist folder) nothing is uploaded and no deployment is created.
 */
export class StaticSite extends Construct {
  readonly url: string;
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Vigil dashboard',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      defaultRootObject: 'index.html',
      // A single-page app: unknown paths are routes of the app.
      errorResponses: [
        { httpStatus: 404, responseHttpStatus: 200, responsePagePath: '/index.html' },
        { httpStatus: 403, responseHttpStatus: 200, responsePagePath: '/index.html' },
      ],
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /** Uploads `distDir` (when built) and `config.json` ({ apiUrl }); true when it did. */
  deploy(distDir: string, config: { apiUrl: string }): boolean {
    if (!existsSync(join(distDir, 'index.html'))) return false;
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [Source.asset(distDir), Source.jsonData('config.json', config)],
      distribution: this.distribution,
      prune: true,
      memoryLimit: 512,
    });
    // The upload runs in CDK's own singleton handler; its role is CDK's, scoped to the two buckets.
    for (const child of Stack.of(this).node.children)
      if (child.node.id.startsWith('Custom::CDKBucketDeployment'))
        NagSuppressions.addResourceSuppressions(
          child,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason:
                "CDK's BucketDeployment handler reads the CDK asset bucket and writes the dashboard bucket; its wildcards are object keys within those two buckets.",
            },
            {
              id: 'Serverless-LambdaTracing',
              reason: "CDK's deployment-time upload handler runs once per deploy; tracing it has no use.",
            },
          ],
          true,
        );
    return true;
  }
}
