import { existsSync } from 'node:fs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Distribution, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/**
 * The dashboard: a private S3 bucket behind CloudFront with origin access control; the built
 * site is uploaded with a `config.json` naming the API URL. Without a build, only the bucket
 * and distribution are created.
 */
export class StaticSite extends Construct {
  readonly url: string;

  constructor(scope: Construct, id: string, props: { distDir: string; apiUrl: string }) {
    super(scope, id);
    const bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const distribution = new Distribution(this, 'Distribution', {
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      defaultRootObject: 'index.html',
      errorResponses: [
        { httpStatus: 404, responseHttpStatus: 200, responsePagePath: '/index.html' },
        { httpStatus: 403, responseHttpStatus: 200, responsePagePath: '/index.html' },
      ],
    });
    this.url = `https://${distribution.distributionDomainName}`;
    if (existsSync(`${props.distDir}/index.html`)) {
      new BucketDeployment(this, 'Deploy', {
        destinationBucket: bucket,
        sources: [Source.asset(props.distDir), Source.jsonData('config.json', { apiUrl: props.apiUrl })],
        distribution,
      });
    }
  }
}
